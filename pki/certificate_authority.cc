// Opening the CA: load it when Redis has its certificate, otherwise race the
// other nodes for the claim; the winner makes the key pair and the root, the
// others wait for the root to appear. Then issuing, revoking and CRLs.

#include "pki/certificate_authority.h"

#include <openssl/rand.h>

#include <spdlog/spdlog.h>

#include <thread>

#include "hsm/keys.h"
#include "pki/ca_documents.h"
#include "pki/ca_store.h"
#include "pki/hsm_signature.h"
#include "pki/x509_parts.h"

namespace seald::pki {
namespace {

using detail::Bytes;
using detail::CaStore;
using detail::HsmSignature;
using Clock = std::chrono::system_clock;

// Long enough for the slowest key generation (RSA-3072 in a network HSM);
// a node that dies holding the claim blocks creation for this long at most.
constexpr std::chrono::milliseconds kClaimTtl{120000};
constexpr std::chrono::milliseconds kPollInterval{50};

class HsmCertificateAuthority final : public CertificateAuthority {
 public:
  HsmCertificateAuthority(redis::Pool& pool, CaOptions options, Bytes der, detail::X509Ptr cert,
                          std::unique_ptr<HsmSignature> signer)
      : store_(pool),
        options_(std::move(options)),
        der_(std::move(der)),
        cert_(std::move(cert)),
        signer_(std::move(signer)) {}

  const Bytes& certificate_der() const override { return der_; }
  std::string certificate_pem() const override { return detail::der_to_pem(der_, "CERTIFICATE"); }

  Result<IssuedCertificate> issue_seal_certificate(const SealCertificateRequest& request) override {
    return detail::make_seal_certificate(cert_.get(), request, *signer_);
  }

  Status revoke(const std::string& serial_hex, std::int64_t revoked_at_ms,
                const std::string& reason) override {
    auto serial = detail::parse_serial_hex(serial_hex);
    if (!serial) {
      return serial.error();
    }
    if (!detail::crl_reason_code(reason)) {
      return Error{"revocation_reason_invalid", "not an RFC 5280 CRLReason name"};
    }
    if (revoked_at_ms < 0) {
      return Error{"revocation_time_invalid", "the revocation time is before 1970"};
    }
    auto added = store_.add_revocation({detail::serial_hex(serial->get()), revoked_at_ms, reason});
    if (!added) {
      return added.error();
    }
    return {};
  }

  Result<Bytes> crl_der() override {
    auto revocations = store_.revocations();
    if (!revocations) {
      return revocations.error();
    }
    auto number = store_.next_crl_number();
    if (!number) {
      return number.error();
    }
    return detail::make_crl(cert_.get(), *revocations, *number, Clock::now(), options_.crl_validity,
                            *signer_);
  }

 private:
  CaStore store_;
  CaOptions options_;
  Bytes der_;
  detail::X509Ptr cert_;
  std::unique_ptr<HsmSignature> signer_;
};

// What the key on the token is, for the signer: the stored CA may predate a
// change of CaOptions::algorithm, and its key decides.
hsm::KeyAlgorithm algorithm_of(EVP_PKEY* key) {
  int bits = EVP_PKEY_get_bits(key);
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
    return bits > 256 ? hsm::KeyAlgorithm::ec_p384 : hsm::KeyAlgorithm::ec_p256;
  }
  return bits > 2048 ? hsm::KeyAlgorithm::rsa_3072 : hsm::KeyAlgorithm::rsa_2048;
}

std::string random_nonce() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return {};
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

Result<std::unique_ptr<CertificateAuthority>> load(hsm::TokenPtr token, redis::Pool& pool,
                                                   CaOptions options, Bytes der) {
  auto cert = detail::parse_certificate(der);
  if (!cert) {
    return cert.error();
  }
  auto key = hsm::public_key_der(*token, options.key_id);
  if (!key) {
    if (key.error().code == "key_not_found") {
      return Error{"ca_key_missing", "Redis holds a CA certificate but the token has no key \"" +
                                         options.key_id + "\": the token is not the CA's"};
    }
    return key.error();
  }
  auto token_key = detail::parse_public_key(*key);
  if (!token_key || EVP_PKEY_eq(X509_get0_pubkey(cert->get()), token_key->get()) != 1) {
    return Error{"ca_key_mismatch", "the CA certificate in Redis is not for the key \"" +
                                        options.key_id + "\" on the token"};
  }
  auto signer = HsmSignature::create(token, options.key_id, algorithm_of(token_key->get()), *key);
  if (!signer) {
    return signer.error();
  }
  return std::unique_ptr<CertificateAuthority>(new HsmCertificateAuthority(
      pool, std::move(options), std::move(der), std::move(*cert), std::move(*signer)));
}

// Runs while holding the claim. The key pair is made here, so on any failure
// it is destroyed again: a key left without its certificate would stop every
// later start with ca_certificate_missing.
Result<std::unique_ptr<CertificateAuthority>> create(hsm::TokenPtr token, redis::Pool& pool,
                                                     CaOptions options, CaStore& store,
                                                     const std::string& nonce) {
  auto existing = hsm::public_key_der(*token, options.key_id);
  if (existing) {
    return Error{"ca_certificate_missing",
                 "the token holds a CA key \"" + options.key_id +
                     "\" but Redis has no CA certificate: restore Redis, or remove the key"};
  }
  if (existing.error().code != "key_not_found") {
    return existing.error();
  }
  if (auto made =
          hsm::generate_key_pair(*token, options.algorithm, options.key_id, options.key_label);
      !made) {
    return made.error();
  }
  auto built = [&]() -> Result<Bytes> {
    auto key = hsm::public_key_der(*token, options.key_id);
    if (!key) {
      return key.error();
    }
    auto signer = HsmSignature::create(token, options.key_id, options.algorithm, *key);
    if (!signer) {
      return signer.error();
    }
    auto der = detail::make_root_certificate(options, **signer);
    if (!der) {
      return der.error();
    }
    if (auto published = store.publish_certificate(*der, nonce); !published) {
      return published.error();
    }
    return der;
  }();
  if (!built) {
    if (auto destroyed = hsm::destroy_key_pair(*token, options.key_id); !destroyed) {
      spdlog::error("pki: could not remove the CA key after a failed creation: {}",
                    destroyed.error().message);
    }
    return built.error();
  }
  spdlog::info("pki: created the CA \"{}\" ({})", options.common_name,
               hsm::name(options.algorithm));
  return load(std::move(token), pool, std::move(options), std::move(*built));
}

}  // namespace

Result<std::unique_ptr<CertificateAuthority>> CertificateAuthority::open_or_create(
    hsm::TokenPtr token, redis::Pool& pool, CaOptions options) {
  CaStore store(pool);
  auto deadline = std::chrono::steady_clock::now() + options.creation_wait;
  for (;;) {
    auto stored = store.certificate();
    if (!stored) {
      return stored.error();
    }
    if (*stored) {
      return load(std::move(token), pool, std::move(options), std::move(**stored));
    }
    auto nonce = random_nonce();
    if (nonce.empty()) {
      return detail::openssl_error("pki_internal", "RAND_bytes");
    }
    auto claimed = store.claim(nonce, kClaimTtl);
    if (!claimed) {
      return claimed.error();
    }
    if (*claimed) {
      auto created = create(token, pool, options, store, nonce);
      if (!created) {
        // Best effort: the claim's time limit frees it anyway.
        (void)store.release_claim(nonce);
      }
      return created;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Error{"ca_unavailable",
                   "another node is creating the CA and has not finished; try again"};
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

}  // namespace seald::pki
