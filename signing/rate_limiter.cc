#include "signing/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace seald::signing {

std::chrono::seconds retry_after(std::chrono::milliseconds wait) {
  auto s = std::chrono::ceil<std::chrono::seconds>(wait);
  return std::max(s, std::chrono::seconds(1));
}

RateLimiter::RateLimiter(Clock clock) : clock_(std::move(clock)) {}

Admission RateLimiter::admit(std::string_view app_id, RateLimit limit, std::uint64_t cost) {
  if (limit.unlimited() || cost == 0) {
    return {};
  }
  // A rate with no room at all would refuse every request; one token is the
  // least a bucket can hold.
  const double burst = std::max<double>(limit.burst, 1);
  const double rate = limit.rate_per_s;
  const double need = static_cast<double>(cost);
  Shard& shard = shards_[StringHash{}(app_id) % kShards];
  auto now = clock_();
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(app_id);
  if (it == shard.buckets.end()) {
    it = shard.buckets.emplace(std::string(app_id), Bucket{limit, burst, now}).first;
  }
  Bucket& b = it->second;
  if (b.limit != limit) {
    b = Bucket{limit, burst, now};
  } else if (now > b.refilled) {
    double elapsed = std::chrono::duration<double>(now - b.refilled).count();
    b.tokens = std::min(burst, b.tokens + elapsed * rate);
    b.refilled = now;
  }
  // An oversized request waits for a full bucket, then takes it into debt.
  const double enough = std::min(need, burst);
  if (b.tokens >= enough) {
    b.tokens -= need;
    return {};
  }
  double seconds = (enough - b.tokens) / rate;
  auto wait = std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(seconds * 1000)));
  return {false, std::max(wait, std::chrono::milliseconds(1))};
}

}  // namespace seald::signing
