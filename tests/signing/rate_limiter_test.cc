// The token bucket behind per-app rate limits, on a clock the test moves.

#include "signing/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace seald::signing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class FakeClock {
 public:
  std::chrono::steady_clock::time_point now() const { return now_.load(); }
  void advance(std::chrono::nanoseconds d) { now_.store(now_.load() + d); }
  RateLimiter::Clock fn() {
    return [this] { return now(); };
  }

 private:
  std::atomic<std::chrono::steady_clock::time_point> now_{std::chrono::steady_clock::time_point{} +
                                                          std::chrono::hours(1)};
};

int admitted(RateLimiter& limiter, std::string_view app, RateLimit limit, int tries,
             std::uint64_t cost = 1) {
  int n = 0;
  for (int i = 0; i < tries; ++i) {
    n += limiter.admit(app, limit, cost).admitted ? 1 : 0;
  }
  return n;
}

TEST(RateLimiter, AFreshBucketAdmitsExactlyTheBurst) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  EXPECT_EQ(admitted(limiter, "a", {10, 25}, 100), 25);
}

TEST(RateLimiter, RefillsAtTheRateAndNeverAboveTheBurst) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  RateLimit limit{10, 20};
  ASSERT_EQ(admitted(limiter, "a", limit, 20), 20);
  clock.advance(milliseconds(500));  // 5 tokens
  EXPECT_EQ(admitted(limiter, "a", limit, 100), 5);
  clock.advance(seconds(3600));  // far more than the burst
  EXPECT_EQ(admitted(limiter, "a", limit, 100), 20);
}

TEST(RateLimiter, EachHashCostsOneToken) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  RateLimit limit{100, 64};
  EXPECT_TRUE(limiter.admit("a", limit, 60).admitted);
  // 4 left: a batch of 5 is refused whole and takes nothing...
  EXPECT_FALSE(limiter.admit("a", limit, 5).admitted);
  // ...so 4 single signatures still fit, and no fifth.
  EXPECT_EQ(admitted(limiter, "a", limit, 10), 4);
}

TEST(RateLimiter, TheWaitIsUntilTheRequestWouldFit) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  RateLimit limit{4, 8};
  ASSERT_TRUE(limiter.admit("a", limit, 8).admitted);
  Admission refused = limiter.admit("a", limit, 6);  // 6 tokens at 4/s: 1.5 s
  ASSERT_FALSE(refused.admitted);
  EXPECT_EQ(refused.wait, milliseconds(1500));
  EXPECT_EQ(retry_after(refused.wait), seconds(2));
  clock.advance(milliseconds(1499));
  EXPECT_FALSE(limiter.admit("a", limit, 6).admitted);
  EXPECT_EQ(limiter.admit("a", limit, 6).wait, milliseconds(1));
  clock.advance(milliseconds(1));
  EXPECT_TRUE(limiter.admit("a", limit, 6).admitted);
}

TEST(RateLimiter, RetryAfterRoundsUpToWholeSeconds) {
  EXPECT_EQ(retry_after(milliseconds(1)), seconds(1));
  EXPECT_EQ(retry_after(milliseconds(1000)), seconds(1));
  EXPECT_EQ(retry_after(milliseconds(1001)), seconds(2));
  EXPECT_EQ(retry_after(milliseconds(0)), seconds(1));
}

TEST(RateLimiter, AppsHaveSeparateBuckets) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  RateLimit limit{1, 3};
  EXPECT_EQ(admitted(limiter, "a", limit, 10), 3);
  EXPECT_EQ(admitted(limiter, "b", limit, 10), 3);
  EXPECT_EQ(admitted(limiter, "a", limit, 10), 0);
}

TEST(RateLimiter, ZeroRateIsUnlimited) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  EXPECT_EQ(admitted(limiter, "a", {0, 1}, 1000, 64), 1000);
}

TEST(RateLimiter, AChangedLimitStartsWithAFullBucket) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  ASSERT_EQ(admitted(limiter, "a", {1, 2}, 10), 2);
  EXPECT_EQ(admitted(limiter, "a", {100, 50}, 100), 50);
  // Lowering it caps what is left at the new burst.
  EXPECT_EQ(admitted(limiter, "a", {1, 3}, 10), 3);
}

TEST(RateLimiter, AnOversizedRequestWaitsForAFullBucketThenRunsIntoDebt) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  RateLimit limit{10, 5};
  ASSERT_TRUE(limiter.admit("a", limit, 1).admitted);
  Admission refused = limiter.admit("a", limit, 20);
  ASSERT_FALSE(refused.admitted);
  EXPECT_EQ(refused.wait, milliseconds(100));  // until the bucket is full again
  clock.advance(milliseconds(100));
  ASSERT_TRUE(limiter.admit("a", limit, 20).admitted);
  // 15 tokens of debt: nothing for 1.5 s, then one signature's worth at 1.6 s.
  EXPECT_EQ(limiter.admit("a", limit, 1).wait, milliseconds(1600));
  clock.advance(milliseconds(1600));
  EXPECT_TRUE(limiter.admit("a", limit, 1).admitted);
}

TEST(RateLimiter, EightThreadsNeverTakeMoreThanTheBucketHolds) {
  FakeClock clock;
  RateLimiter limiter(clock.fn());
  RateLimit limit{1000, 500};
  std::atomic<int> total{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        // A second app in the same threads, so buckets are contended side by side.
        if (limiter.admit("other", limit, 3).admitted) {
          other += 3;
        }
        if (limiter.admit("app", limit, 1 + i % 4).admitted) {
          total += 1 + i % 4;
        }
        if (i == 1000 && t == 0) {
          clock.advance(milliseconds(200));  // 200 more tokens for each app
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  // The clock moved once by 200 ms: at most burst + 200 signatures each,
  // and with thousands of attempts the buckets were drained, so nearly all.
  EXPECT_LE(total.load(), 700);
  EXPECT_GE(total.load(), 700 - 3);
  EXPECT_LE(other.load(), 700);
  EXPECT_GE(other.load(), 700 - 2);
}

}  // namespace
}  // namespace seald::signing
