#pragma once

// Signature activation data (SAD) for the CSC API's credentials/authorize.
// Our seals need no PIN or OTP, so a SAD carries no user secret: it is a
// random single-use token that pins down what the app said it would sign
// (which credential, how many signatures, and which hashes if it named
// them). Redis keeps only SHA-256(SAD) -> that binding, expiring with the
// SAD (docs/redis/tokens.md); redeeming it is a GETDEL, so across all nodes
// a SAD signs at most once.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/secret.h"
#include "redis/pool.h"

namespace seald::signing {

struct Activation {
  std::string app_id;
  std::string credential_id;  // the seal code
  std::int64_t num_signatures = 0;
  std::vector<std::string> hashes;  // lower-case hex; empty: any hashes
};

struct IssuedActivation {
  Secret sad;
  std::int64_t expires_in_s = 0;
};

class SignatureActivations {
 public:
  explicit SignatureActivations(redis::Pool& pool,
                                std::chrono::seconds ttl = std::chrono::seconds(300));

  // Errors: activation_invalid (empty app or credential, a count below 1),
  // token_issue_failed (no randomness), redis_unavailable.
  Result<IssuedActivation> issue(const Activation& activation);

  // Returns the binding and forgets it, whoever asked. Errors: sad_invalid
  // (never issued, already used, expired, or not one of ours),
  // redis_unavailable.
  Result<Activation> redeem(std::string_view sad);

 private:
  redis::Pool& pool_;
  std::chrono::seconds ttl_;
};

std::string activation_key(std::string_view sad_hash);

}  // namespace seald::signing
