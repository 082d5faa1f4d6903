#include "signing/app_tokens.h"

#include <functional>

#include "apps/app_secret.h"

namespace seald::signing {
namespace {

// A resolved token is remembered this long past its expiry, so a client
// still using it hears token_expired rather than token_invalid.
constexpr std::int64_t kRememberExpiredMs = 10 * 60 * 1000;
// Beyond this many tokens in one shard, expired ones are dropped; if that is
// not enough the shard starts afresh (each token costs one GET to return).
constexpr std::size_t kMaxPerShard = 8192;
// No token we issue is longer (43 characters); anything much longer is junk
// not worth hashing.
constexpr std::size_t kMaxTokenLength = 256;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Error invalid() {
  return make_error("token_invalid", "the access token is not valid");
}

}  // namespace

std::string token_key(std::string_view token_hash) {
  return "seald:tokens:" + std::string(token_hash);
}

AppTokens::AppTokens(redis::Pool& pool, std::chrono::seconds ttl) : pool_(pool), ttl_(ttl) {}

AppTokens::Shard& AppTokens::shard_for(std::string_view hash) {
  return shards_[std::hash<std::string_view>{}(hash) % shards_.size()];
}

void AppTokens::remember(const std::string& hash, const TokenOwner& owner) {
  Shard& shard = shard_for(hash);
  std::lock_guard lock(shard.mu);
  if (shard.owners.size() >= kMaxPerShard) {
    std::int64_t forget_before = now_ms() - kRememberExpiredMs;
    std::erase_if(shard.owners, [&](const auto& e) { return e.second.expires_ms < forget_before; });
    if (shard.owners.size() >= kMaxPerShard) {
      shard.owners.clear();
    }
  }
  shard.owners[hash] = owner;
}

Result<IssuedToken> AppTokens::issue(std::string_view app_id) {
  if (app_id.empty() || app_id.size() > 64) {
    return make_error("app_id_invalid", "an app id is 1 to 64 bytes");
  }
  // The same 256-bit base64url form as app secrets, with the same reasoning
  // for a plain SHA-256 in Redis.
  auto token = apps::generate_secret();
  if (!token) {
    return make_error("token_issue_failed", "no randomness for a new access token");
  }
  auto hash = apps::secret_hash(token->reveal());
  if (!hash) {
    return hash.error();
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string key = token_key(*hash);
  std::string seconds = std::to_string(ttl_.count());
  auto stored = (*lease)->command({"SET", key, app_id, "EX", seconds});
  if (!stored) {
    return stored.error();
  }
  remember(*hash, TokenOwner{std::string(app_id), now_ms() + ttl_.count() * 1000});
  return IssuedToken{std::move(*token), ttl_.count()};
}

Result<TokenOwner> AppTokens::resolve(std::string_view token) {
  if (token.empty() || token.size() > kMaxTokenLength) {
    return invalid();
  }
  auto hash = apps::secret_hash(token);
  if (!hash) {
    return hash.error();
  }
  {
    Shard& shard = shard_for(*hash);
    std::lock_guard lock(shard.mu);
    if (auto it = shard.owners.find(*hash); it != shard.owners.end()) {
      if (now_ms() >= it->second.expires_ms) {
        return make_error("token_expired", "the access token has expired; request a new one");
      }
      return it->second;
    }
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string key = token_key(*hash);
  std::int64_t asked_ms = now_ms();
  auto replies = (*lease)->pipeline({{"GET", key}, {"PTTL", key}});
  if (!replies) {
    return replies.error();
  }
  const redisReply* owner = (*replies)[0].get();
  const redisReply* ttl = (*replies)[1].get();
  // A key without a TTL (-1) is none we wrote: every token expires.
  if (owner->type != REDIS_REPLY_STRING || ttl->type != REDIS_REPLY_INTEGER || ttl->integer < 0) {
    return invalid();
  }
  TokenOwner found{std::string(owner->str, owner->len), asked_ms + ttl->integer};
  remember(*hash, found);
  return found;
}

}  // namespace seald::signing
