#pragma once

// Signing a precomputed hash with a key on the token. The hot path: this
// thread's session, this thread's cached key handle, C_SignInit + C_Sign,
// no lock shared with other requests.
//
// ECDSA signatures come back DER-encoded (ECDSA-Sig-Value), RSA ones as the
// raw signature block, i.e. what X.509 and CMS carry for each.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "hsm/algorithms.h"
#include "hsm/token.h"

namespace seald::hsm {

// The primitive every signer (HSM-backed or software) offers.
class Signer {
 public:
  virtual ~Signer() = default;
  // hash: the digest of the data to sign, made with the signer's hash algorithm.
  virtual Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t> hash) const = 0;
};

// Errors: hash_length_mismatch (hash is not as long as hash_algorithm's),
// key_not_found, key_type_mismatch (an ECDSA scheme for an RSA key or the
// reverse), or the hsm_ code of the failing PKCS#11 call.
// RSA-PSS uses MGF1 with the same hash and a salt as long as the hash.
Result<std::vector<std::uint8_t>> sign_hash(const Token& token, std::string_view key_id,
                                            SignScheme scheme, HashAlgorithm hash_algorithm,
                                            std::span<const std::uint8_t> hash);

// A Signer bound to one key on the token, one scheme and one hash.
class Pkcs11Signer final : public Signer {
 public:
  // Checks that the key exists and fits the scheme.
  static Result<std::unique_ptr<Pkcs11Signer>> create(TokenPtr token, std::string key_id,
                                                      SignScheme scheme,
                                                      HashAlgorithm hash_algorithm);

  Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t> hash) const override;

  const std::string& key_id() const { return key_id_; }
  SignScheme scheme() const { return scheme_; }
  HashAlgorithm hash_algorithm() const { return hash_algorithm_; }

 private:
  Pkcs11Signer(TokenPtr token, std::string key_id, SignScheme scheme, HashAlgorithm hash_algorithm)
      : token_(std::move(token)),
        key_id_(std::move(key_id)),
        scheme_(scheme),
        hash_algorithm_(hash_algorithm) {}

  TokenPtr token_;
  std::string key_id_;
  SignScheme scheme_;
  HashAlgorithm hash_algorithm_;
};

}  // namespace seald::hsm
