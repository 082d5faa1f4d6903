#pragma once

// The three metric kinds. Each is a handful of atomics: updating one never
// takes a lock, so a component can hold a reference obtained at start-up and
// bump it on the hot path. They are aligned to a cache line so that two
// metrics updated by different threads do not slow each other down.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace seald::metrics {

class alignas(64) Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class alignas(64) Gauge {
 public:
  void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void add(double v) noexcept { value_.fetch_add(v, std::memory_order_relaxed); }
  void inc() noexcept { add(1.0); }
  void dec() noexcept { add(-1.0); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// A histogram with fixed upper bounds (in seconds for latencies). Counts are
// kept per bucket and made cumulative only when rendered.
class Histogram {
 public:
  // bounds: strictly increasing, finite; +Inf is implicit.
  explicit Histogram(std::vector<double> bounds);

  void observe(double value) noexcept;
  void observe(std::chrono::nanoseconds elapsed) noexcept {
    observe(std::chrono::duration<double>(elapsed).count());
  }

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf
    double sum = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<double> sum_{0.0};
};

// Latency buckets in seconds, from half a millisecond to ten seconds.
std::vector<double> default_latency_buckets();

}  // namespace seald::metrics
