#pragma once

// Per-app signing rate limits: one token bucket per app, held in process so
// the hot path makes no Redis round trip for it. A signature costs one token,
// so a request of 64 hashes takes 64. Buckets refill lazily from a steady
// clock when they are next asked; nothing runs in the background.
//
// The buckets live in a fixed number of shards, each behind its own mutex,
// so requests of different apps rarely meet on a lock and no lock is shared
// by all requests. A limit is not stored here: each call says which limit
// applies (the app's override from the cache, or the configured default), so
// a changed limit takes effect on the next request.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace seald::signing {

struct RateLimit {
  std::uint32_t rate_per_s = 0;  // tokens (signatures) refilled per second; 0: unlimited
  std::uint32_t burst = 0;       // bucket size: signatures that may come at once

  bool unlimited() const { return rate_per_s == 0; }
  friend bool operator==(const RateLimit&, const RateLimit&) = default;
};

struct Admission {
  bool admitted = true;
  // When refused: how long until the same request would be admitted (at the
  // present limit and with no other request of the app in between).
  std::chrono::milliseconds wait{0};
};

// A wait as a Retry-After value: whole seconds, rounded up, at least 1.
std::chrono::seconds retry_after(std::chrono::milliseconds wait);

class RateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // The clock is injectable for tests; production uses steady_clock.
  explicit RateLimiter(Clock clock = &std::chrono::steady_clock::now);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes cost tokens from app_id's bucket under limit, or takes none and
  // says how long to wait. A new bucket, and a bucket whose limit changed,
  // starts full. A request larger than the whole burst is admitted when the
  // bucket is full and leaves it in debt (refilled at the usual rate), so it
  // is slowed down rather than refused for ever.
  Admission admit(std::string_view app_id, RateLimit limit, std::uint64_t cost);

 private:
  struct Bucket {
    RateLimit limit;
    double tokens = 0;  // may go below 0 after an oversized request
    std::chrono::steady_clock::time_point refilled;
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket, StringHash, std::equal_to<>> buckets;
  };
  static constexpr std::size_t kShards = 64;

  Clock clock_;
  std::array<Shard, kShards> shards_;
};

}  // namespace seald::signing
