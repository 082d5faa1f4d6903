#pragma once

// Signs certificates and CRLs that OpenSSL has built with the CA key in the
// HSM, and returns the signed DER.
//
// Why assemble the DER ourselves: OpenSSL 3 has no public setter for a
// certificate's or CRL's signature, and the alternative (an EVP_PKEY whose
// EC_KEY_METHOD / RSA_METHOD calls the HSM) rests on APIs deprecated in 3.0.
// So OpenSSL signs the structure once with a throwaway software key of the
// same type — the only public way to have it fill in both AlgorithmIdentifiers
// (inside the TBS and outside) exactly as it would for the real key — and we
// then take the re-encoded TBS, hash it, have the HSM sign the hash, and write
//   SEQUENCE { tbs, signatureAlgorithm, BIT STRING signature }
// (RFC 5280 sections 4.1 and 5.1). The throwaway signature is discarded; the
// result is parsed back and verified against the CA public key before it is
// returned, so nothing leaves unless the HSM's signature checks out.

#include <memory>
#include <string>

#include "core/error.h"
#include "hsm/algorithms.h"
#include "hsm/token.h"
#include "pki/x509_parts.h"

namespace seald::pki::detail {

class HsmSignature {
 public:
  // ca_public_key: the CA key's SubjectPublicKeyInfo (from the token), used to
  // check every signature made.
  static Result<std::unique_ptr<HsmSignature>> create(hsm::TokenPtr token, std::string key_id,
                                                      hsm::KeyAlgorithm algorithm,
                                                      const Bytes& ca_public_key);

  // cert/crl: complete but unsigned (their signature fields are overwritten).
  Result<Bytes> sign_certificate(X509* cert) const;
  Result<Bytes> sign_crl(X509_CRL* crl) const;

  EVP_PKEY* public_key() const { return public_key_.get(); }

 private:
  HsmSignature(hsm::TokenPtr token, std::string key_id, hsm::SignScheme scheme,
               hsm::HashAlgorithm hash, EvpPkeyPtr placeholder, EvpPkeyPtr public_key)
      : token_(std::move(token)),
        key_id_(std::move(key_id)),
        scheme_(scheme),
        hash_(hash),
        placeholder_(std::move(placeholder)),
        public_key_(std::move(public_key)) {}

  const EVP_MD* md() const;
  // SEQUENCE { tbs, algorithm, BIT STRING (HSM signature over tbs) }.
  Result<Bytes> assemble(const unsigned char* tbs, int tbs_length,
                         const X509_ALGOR* algorithm) const;

  hsm::TokenPtr token_;
  std::string key_id_;
  hsm::SignScheme scheme_;
  hsm::HashAlgorithm hash_;
  EvpPkeyPtr placeholder_;  // software key of the CA key's type; never signs anything kept
  EvpPkeyPtr public_key_;   // the CA key's public half
};

}  // namespace seald::pki::detail
