#include "pki/hsm_signature.h"

#include <openssl/evp.h>

#include "hsm/signer.h"

namespace seald::pki::detail {
namespace {

void append_length(Bytes& out, std::size_t length) {
  if (length < 0x80) {
    out.push_back(static_cast<std::uint8_t>(length));
    return;
  }
  Bytes digits;
  for (std::size_t n = length; n != 0; n >>= 8) {
    digits.insert(digits.begin(), static_cast<std::uint8_t>(n & 0xff));
  }
  out.push_back(static_cast<std::uint8_t>(0x80 | digits.size()));
  out.insert(out.end(), digits.begin(), digits.end());
}

Bytes tagged(std::uint8_t tag, const Bytes& content) {
  Bytes out{tag};
  append_length(out, content.size());
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

// The placeholder only has to be of the same key type: the AlgorithmIdentifier
// OpenSSL writes depends on the type and the digest, not on the key's size or
// curve. RSA-1024 keeps its one-off generation quick; it signs nothing kept.
Result<EvpPkeyPtr> make_placeholder(hsm::KeyAlgorithm algorithm) {
  EVP_PKEY* key = hsm::is_ec(algorithm)
                      ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                      : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024));
  if (key == nullptr) {
    return openssl_error("pki_internal", "placeholder key generation");
  }
  return EvpPkeyPtr(key);
}

}  // namespace

Result<std::unique_ptr<HsmSignature>> HsmSignature::create(hsm::TokenPtr token, std::string key_id,
                                                           hsm::KeyAlgorithm algorithm,
                                                           const Bytes& ca_public_key) {
  auto placeholder = make_placeholder(algorithm);
  if (!placeholder) {
    return placeholder.error();
  }
  auto public_key = parse_public_key(ca_public_key);
  if (!public_key) {
    return Error{"ca_key_corrupt", "the CA public key on the token does not parse"};
  }
  auto scheme = hsm::is_ec(algorithm) ? hsm::SignScheme::ecdsa : hsm::SignScheme::rsa_pkcs1_v15;
  // P-384 pairs with SHA-384 (RFC 5480 section 4); the rest use SHA-256.
  auto hash = algorithm == hsm::KeyAlgorithm::ec_p384 ? hsm::HashAlgorithm::sha384
                                                      : hsm::HashAlgorithm::sha256;
  return std::unique_ptr<HsmSignature>(new HsmSignature(std::move(token), std::move(key_id), scheme,
                                                        hash, std::move(*placeholder),
                                                        std::move(*public_key)));
}

const EVP_MD* HsmSignature::md() const {
  return hash_ == hsm::HashAlgorithm::sha384 ? EVP_sha384() : EVP_sha256();
}

Result<Bytes> HsmSignature::assemble(const unsigned char* tbs, int tbs_length,
                                     const X509_ALGOR* algorithm) const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  if (EVP_Digest(tbs, static_cast<size_t>(tbs_length), digest, &digest_length, md(), nullptr) !=
      1) {
    return openssl_error("pki_internal", "hashing the TBS");
  }
  auto signature = hsm::sign_hash(*token_, key_id_, scheme_, hash_,
                                  std::span<const std::uint8_t>(digest, digest_length));
  if (!signature) {
    return signature.error();
  }
  unsigned char* algorithm_der = nullptr;
  int algorithm_length = i2d_X509_ALGOR(algorithm, &algorithm_der);
  if (algorithm_length <= 0) {
    return openssl_error("pki_internal", "encoding the signature algorithm");
  }
  OpenSslBytes owned_algorithm(algorithm_der);

  Bytes content(tbs, tbs + tbs_length);
  content.insert(content.end(), algorithm_der, algorithm_der + algorithm_length);
  Bytes bits{0x00};  // no unused bits in the last octet
  bits.insert(bits.end(), signature->begin(), signature->end());
  auto bit_string = tagged(0x03, bits);
  content.insert(content.end(), bit_string.begin(), bit_string.end());
  return tagged(0x30, content);
}

Result<Bytes> HsmSignature::sign_certificate(X509* cert) const {
  if (X509_sign(cert, placeholder_.get(), md()) <= 0) {
    return openssl_error("pki_internal", "filling in the certificate's signature algorithm");
  }
  unsigned char* tbs = nullptr;
  int tbs_length = i2d_re_X509_tbs(cert, &tbs);
  if (tbs_length <= 0) {
    return openssl_error("pki_internal", "encoding the TBSCertificate");
  }
  OpenSslBytes owned_tbs(tbs);
  const ASN1_BIT_STRING* unused = nullptr;
  const X509_ALGOR* algorithm = nullptr;
  X509_get0_signature(&unused, &algorithm, cert);
  auto der = assemble(tbs, tbs_length, algorithm);
  if (!der) {
    return der.error();
  }
  auto check = parse_certificate(*der);
  if (!check || X509_verify(check->get(), public_key_.get()) != 1) {
    return openssl_error("ca_signature_failed",
                         "the HSM's certificate signature does not verify with the CA key");
  }
  return der;
}

Result<Bytes> HsmSignature::sign_crl(X509_CRL* crl) const {
  if (X509_CRL_sign(crl, placeholder_.get(), md()) <= 0) {
    return openssl_error("pki_internal", "filling in the CRL's signature algorithm");
  }
  unsigned char* tbs = nullptr;
  int tbs_length = i2d_re_X509_CRL_tbs(crl, &tbs);
  if (tbs_length <= 0) {
    return openssl_error("pki_internal", "encoding the TBSCertList");
  }
  OpenSslBytes owned_tbs(tbs);
  const ASN1_BIT_STRING* unused = nullptr;
  const X509_ALGOR* algorithm = nullptr;
  X509_CRL_get0_signature(crl, &unused, &algorithm);
  auto der = assemble(tbs, tbs_length, algorithm);
  if (!der) {
    return der.error();
  }
  const unsigned char* p = der->data();
  X509CrlPtr check(d2i_X509_CRL(nullptr, &p, static_cast<long>(der->size())));
  if (!check || X509_CRL_verify(check.get(), public_key_.get()) != 1) {
    return openssl_error("ca_signature_failed",
                         "the HSM's CRL signature does not verify with the CA key");
  }
  return der;
}

}  // namespace seald::pki::detail
