#pragma once

// seald's certificate authority. Its key pair lives in the HSM (generated
// there at first start, sensitive and not extractable); its self-signed root
// certificate and the list of revoked certificates live in Redis, so every
// node serves the same CA. Certificates and CRLs are built with OpenSSL and
// signed by the HSM: the CA private key never leaves the token.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "hsm/algorithms.h"
#include "hsm/token.h"
#include "redis/pool.h"

namespace seald::pki {

using Bytes = std::vector<std::uint8_t>;

struct CaOptions {
  std::string common_name = "seald Root CA";
  std::string organisation = "seald";
  hsm::KeyAlgorithm algorithm = hsm::KeyAlgorithm::ec_p256;
  unsigned validity_years = 20;
  // How long a published CRL is valid (its nextUpdate).
  std::chrono::hours crl_validity{24};
  // The CA key pair's CKA_ID and CKA_LABEL on the token. Tests that share one
  // token give each CA its own id; a deployment keeps the defaults.
  std::string key_id = "seald-ca";
  std::string key_label = "seald CA";
  // How long a node that lost the race to create the CA waits for the winner
  // to publish the certificate before giving up (ca_unavailable).
  std::chrono::milliseconds creation_wait{60000};
};

// What goes into a seal's certificate.
struct SealCertificateRequest {
  std::string seal_name;    // subject CN
  std::string org_name;     // subject O
  std::string seal_code;    // carried as an attribute (documented in docs/pki.md)
  std::string credit_code;  // the org's unified social credit code, likewise
  Bytes public_key_der;     // SubjectPublicKeyInfo of the seal's key in the HSM
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
};

struct IssuedCertificate {
  Bytes der;
  std::string serial_hex;  // lower-case hex, unique per CA
};

class CertificateAuthority {
 public:
  // Opens the CA, creating its key pair and root certificate on first use.
  // Two nodes starting at once create exactly one CA.
  // Errors: ca_certificate_missing (the key is on the token but Redis has no
  // certificate), ca_key_missing (the reverse), ca_key_mismatch (the stored
  // certificate is not for the token's key), ca_certificate_corrupt,
  // ca_unavailable (another node is creating the CA and did not finish in
  // creation_wait), redis_unavailable, or an hsm_ code.
  static Result<std::unique_ptr<CertificateAuthority>> open_or_create(hsm::TokenPtr token,
                                                                      redis::Pool& pool,
                                                                      CaOptions options = {});
  virtual ~CertificateAuthority() = default;

  virtual const Bytes& certificate_der() const = 0;
  virtual std::string certificate_pem() const = 0;

  // keyUsage digitalSignature + nonRepudiation, not a CA, validity as asked
  // (clipped to the CA's own). Subject: CN = seal name, O = org name,
  // serialNumber (2.5.4.5) = seal code, organizationIdentifier (2.5.4.97) =
  // credit code. Errors: certificate_request_invalid, or the HSM's.
  virtual Result<IssuedCertificate> issue_seal_certificate(
      const SealCertificateRequest& request) = 0;

  // Adds a serial to the revocation list (idempotent). reason: an RFC 5280
  // CRLReason name ("keyCompromise", "superseded", "cessationOfOperation", ...).
  // Errors: serial_invalid, revocation_reason_invalid, redis_unavailable.
  virtual Status revoke(const std::string& serial_hex, std::int64_t revoked_at_ms,
                        const std::string& reason) = 0;

  // A fresh DER CRL listing every revoked serial, thisUpdate now, nextUpdate
  // now + crl_validity, signed by the CA key in the HSM.
  virtual Result<Bytes> crl_der() = 0;
};

}  // namespace seald::pki
