#pragma once

// App access tokens (OAuth2 client_credentials). A token is 32 random bytes,
// base64url; Redis keeps only SHA-256(token) -> app id, expiring with the
// token (docs/redis/tokens.md), so any node can resolve a token another
// issued, and a copy of Redis is no use to a thief. Each node caches what it
// resolved until the token expires, so the hot path asks Redis once per
// token, not once per request.

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"
#include "core/secret.h"
#include "redis/pool.h"

namespace seald::signing {

struct IssuedToken {
  Secret access_token;
  std::int64_t expires_in_s = 0;
};

struct TokenOwner {
  std::string app_id;
  std::int64_t expires_ms = 0;  // Unix ms
};

class AppTokens {
 public:
  explicit AppTokens(redis::Pool& pool, std::chrono::seconds ttl = std::chrono::hours(1));

  // The caller has checked the app's secret. Errors: app_id_invalid,
  // token_issue_failed (no randomness), redis_unavailable.
  Result<IssuedToken> issue(std::string_view app_id);

  // Errors: token_invalid (never issued, or gone from Redis before this node
  // saw it), token_expired (this node knew it and it is past its expiry),
  // redis_unavailable (only on a local miss).
  Result<TokenOwner> resolve(std::string_view token);

 private:
  // Sharded so concurrent requests rarely meet on one mutex.
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, TokenOwner> owners;  // by SHA-256 hex
  };
  Shard& shard_for(std::string_view hash);
  void remember(const std::string& hash, const TokenOwner& owner);

  redis::Pool& pool_;
  std::chrono::seconds ttl_;
  std::array<Shard, 16> shards_;
};

std::string token_key(std::string_view token_hash);

}  // namespace seald::signing
