#include "metrics/registry.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace seald::metrics {
namespace {

bool contains(const std::string& text, const std::string& piece) {
  return text.find(piece) != std::string::npos;
}

TEST(Registry, RendersCounterWithHelpTypeAndLabels) {
  Registry registry;
  auto& requests =
      registry.counter_family("seald_test_requests_total", "Requests served.", {"route", "status"});
  requests.with({"healthz", "200"}).inc();
  requests.with({"healthz", "200"}).inc(2);
  requests.with({"sign", "503"}).inc();

  const std::string text = registry.render();
  EXPECT_TRUE(contains(text, "# HELP seald_test_requests_total Requests served.\n"));
  EXPECT_TRUE(contains(text, "# TYPE seald_test_requests_total counter\n"));
  EXPECT_TRUE(contains(text, "seald_test_requests_total{route=\"healthz\",status=\"200\"} 3\n"));
  EXPECT_TRUE(contains(text, "seald_test_requests_total{route=\"sign\",status=\"503\"} 1\n"));
}

TEST(Registry, SameLabelValuesGiveTheSameChild) {
  Registry registry;
  auto& family = registry.counter_family("seald_test_total", "t", {"a"});
  Counter& first = family.with({"x"});
  Counter& again = family.with({"x"});
  EXPECT_EQ(&first, &again);
  EXPECT_NE(&first, &family.with({"y"}));
}

TEST(Registry, ReRegisteringTheSameFamilyReturnsIt) {
  Registry registry;
  Counter& a = registry.counter("seald_test_once_total", "once");
  Counter& b = registry.counter("seald_test_once_total", "once");
  EXPECT_EQ(&a, &b);
}

TEST(RegistryDeathTest, ConflictingRegistrationAborts) {
  Registry registry;
  registry.counter("seald_test_conflict", "c");
  EXPECT_DEATH(registry.gauge("seald_test_conflict", "g"), "registered twice");
}

TEST(RegistryDeathTest, WrongNumberOfLabelValuesAborts) {
  Registry registry;
  auto& family = registry.counter_family("seald_test_labels_total", "l", {"a", "b"});
  EXPECT_DEATH(family.with({"only-one"}), "expected 2 label values");
}

TEST(RegistryDeathTest, InvalidNamesAbort) {
  Registry registry;
  EXPECT_DEATH(registry.counter("bad-name", "x"), "invalid metric name");
  EXPECT_DEATH(registry.counter_family("seald_ok_total", "x", {"__bad"}), "invalid label name");
  EXPECT_DEATH(registry.histogram_family("seald_h", "x", {"le"}), "invalid label name");
}

TEST(Registry, RendersGauge) {
  Registry registry;
  Gauge& g = registry.gauge("seald_test_in_flight", "In flight.");
  g.inc();
  g.inc();
  g.dec();
  g.add(0.5);
  const std::string text = registry.render();
  EXPECT_TRUE(contains(text, "# TYPE seald_test_in_flight gauge\n"));
  EXPECT_TRUE(contains(text, "seald_test_in_flight 1.5\n"));
}

TEST(Registry, RendersHistogramBucketsSumAndCount) {
  Registry registry;
  auto& family = registry.histogram_family("seald_test_duration_seconds", "Latency.", {"route"},
                                           {0.1, 0.5, 1});
  Histogram& h = family.with({"sign"});
  h.observe(0.05);  // first bucket
  h.observe(0.1);   // le is inclusive
  h.observe(0.7);
  h.observe(3.0);  // only +Inf
  const std::string text = registry.render();
  EXPECT_TRUE(contains(text, "# TYPE seald_test_duration_seconds histogram\n"));
  EXPECT_TRUE(contains(text, "seald_test_duration_seconds_bucket{route=\"sign\",le=\"0.1\"} 2\n"));
  EXPECT_TRUE(contains(text, "seald_test_duration_seconds_bucket{route=\"sign\",le=\"0.5\"} 2\n"));
  EXPECT_TRUE(contains(text, "seald_test_duration_seconds_bucket{route=\"sign\",le=\"1\"} 3\n"));
  EXPECT_TRUE(contains(text, "seald_test_duration_seconds_bucket{route=\"sign\",le=\"+Inf\"} 4\n"));
  EXPECT_TRUE(contains(text, "seald_test_duration_seconds_sum{route=\"sign\"} 3.85\n"));
  EXPECT_TRUE(contains(text, "seald_test_duration_seconds_count{route=\"sign\"} 4\n"));
}

TEST(Registry, ObservesDurations) {
  Registry registry;
  Histogram& h = registry.histogram("seald_test_latency_seconds", "l", {0.001, 0.01});
  h.observe(std::chrono::microseconds(2500));
  const std::string text = registry.render();
  EXPECT_TRUE(contains(text, "seald_test_latency_seconds_bucket{le=\"0.001\"} 0\n"));
  EXPECT_TRUE(contains(text, "seald_test_latency_seconds_bucket{le=\"0.01\"} 1\n"));
  EXPECT_TRUE(contains(text, "seald_test_latency_seconds_count 1\n"));
}

TEST(Registry, EscapesLabelValuesInOutput) {
  Registry registry;
  registry.counter_family("seald_test_escape_total", "Help with \\ and\nnewline.", {"v"})
      .with({"quote\" back\\ nl\n"})
      .inc();
  const std::string text = registry.render();
  EXPECT_TRUE(contains(text, "# HELP seald_test_escape_total Help with \\\\ and\\nnewline.\n"));
  EXPECT_TRUE(contains(text, "seald_test_escape_total{v=\"quote\\\" back\\\\ nl\\n\"} 1\n"));
}

TEST(Registry, FamiliesAreSortedByName) {
  Registry registry;
  registry.counter("seald_b_total", "b").inc();
  registry.counter("seald_a_total", "a").inc();
  const std::string text = registry.render();
  EXPECT_LT(text.find("seald_a_total"), text.find("seald_b_total"));
}

TEST(Registry, ConcurrentIncrementsAreAllCounted) {
  Registry registry;
  auto& family = registry.counter_family("seald_test_concurrent_total", "c", {"thread"});
  Histogram& h = registry.histogram("seald_test_concurrent_seconds", "h", {1});
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Half the threads share a label set, so creation races are exercised.
      Counter& mine = family.with({t % 2 == 0 ? "even" : "odd"});
      for (int i = 0; i < kPerThread; ++i) {
        mine.inc();
        h.observe(0.5);
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(family.with({"even"}).value(), 2u * kPerThread);
  EXPECT_EQ(family.with({"odd"}).value(), 2u * kPerThread);
  const std::string text = registry.render();
  EXPECT_TRUE(contains(text, "seald_test_concurrent_seconds_count 40000\n"));
  EXPECT_TRUE(contains(text, "seald_test_concurrent_seconds_sum 20000\n"));
}

}  // namespace
}  // namespace seald::metrics
