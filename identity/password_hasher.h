#pragma once

// argon2id password hashing through libargon2. Hashes are stored as the
// encoded string ($argon2id$v=19$m=...,t=...,p=...$salt$hash), so the cost
// can be raised later without invalidating existing hashes.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace seald::identity {

struct PasswordHashOptions {
  // Sized for a 2-core box: about 30-60 ms a hash. Tests lower memory_kib.
  std::uint32_t time_cost = 2;
  std::uint32_t memory_kib = 19 * 1024;
  std::uint32_t parallelism = 1;
};

class PasswordHasher {
 public:
  // Fails with internal_error if the options are rejected by libargon2.
  static Result<PasswordHasher> create(const PasswordHashOptions& options);

  Result<std::string> hash(std::string_view password) const;

  // True when the password matches the encoded hash.
  bool verify(std::string_view encoded, std::string_view password) const;

  // Does the work of a verification against a hash of no one's password, so
  // that "no such user" takes as long as "wrong password".
  void verify_dummy(std::string_view password) const;

 private:
  PasswordHasher(PasswordHashOptions options, std::string dummy)
      : options_(options), dummy_(std::move(dummy)) {}
  PasswordHashOptions options_;
  std::string dummy_;
};

}  // namespace seald::identity
