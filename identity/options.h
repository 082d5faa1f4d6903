#pragma once

// Every tunable of the identity component, with production defaults. Tests
// shorten the durations and cheapen the password hash.

#include <chrono>

#include "identity/password_hasher.h"

namespace seald::identity {

struct CodeOptions {
  std::chrono::milliseconds ttl{std::chrono::minutes(5)};
  std::chrono::milliseconds resend_interval{std::chrono::seconds(60)};
  int max_attempts = 5;
};

struct LoginOptions {
  std::chrono::milliseconds session_ttl{std::chrono::hours(8)};
  int max_failures = 5;
  std::chrono::milliseconds failure_window{std::chrono::minutes(15)};
  std::chrono::milliseconds lock_duration{std::chrono::minutes(15)};
};

struct IdentityOptions {
  PasswordHashOptions password;
  CodeOptions codes;
  LoginOptions login;
};

}  // namespace seald::identity
