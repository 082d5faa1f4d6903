#pragma once

// The metrics registry, Envoy style: a component declares its stats once, in
// its constructor, as references into the registry, and updates them in
// place. Registry::render() writes the Prometheus text exposition format
// (version 0.0.4) for GET /metrics.
//
//   struct SignerStats {
//     explicit SignerStats(metrics::Registry& r)
//         : signs(r.counter_family("seald_signs_total", "Signatures made.", {"alg"})),
//           ecdsa(signs.with({"ecdsa_p256"})) {}
//     metrics::CounterFamily& signs;
//     metrics::Counter& ecdsa;  // resolved once, incremented lock-free
//   };
//
// Families and children are never removed, so references stay valid for the
// registry's lifetime. Registering a name again with the same kind, labels
// and buckets returns the existing family; a conflicting registration, a bad
// name or a wrong number of label values is a programming error and aborts.

#include <cstddef>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/metric.h"

namespace seald::metrics {

enum class Kind { kCounter, kGauge, kHistogram };

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, Kind kind, std::vector<std::string> label_names,
             std::vector<double> bounds);
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return name_; }
  Kind kind() const { return kind_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& bounds() const { return bounds_; }

  // Appends HELP, TYPE and every sample of this family.
  virtual void render(std::string& out) const = 0;

 protected:
  std::string name_;
  std::string help_;
  Kind kind_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;  // histograms only
};

// The children of one metric name, one per distinct set of label values.
template <class Metric>
class Family final : public FamilyBase {
 public:
  using FamilyBase::FamilyBase;

  // The child for these label values (in label_names() order), created on
  // first use. Lookups share a reader lock and creation takes the writer
  // lock, so callers on a hot path keep the returned reference.
  Metric& with(std::initializer_list<std::string_view> values) {
    return with(std::span<const std::string_view>(values.begin(), values.size()));
  }
  Metric& with(std::span<const std::string_view> values);

  void render(std::string& out) const override;

 private:
  struct ValuesLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
    }
  };

  mutable std::shared_mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>, ValuesLess> children_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  CounterFamily& counter_family(std::string_view name, std::string_view help,
                                std::vector<std::string> label_names);
  GaugeFamily& gauge_family(std::string_view name, std::string_view help,
                            std::vector<std::string> label_names);
  HistogramFamily& histogram_family(std::string_view name, std::string_view help,
                                    std::vector<std::string> label_names,
                                    std::vector<double> bounds = default_latency_buckets());

  // Unlabelled shorthands: the family's only child.
  Counter& counter(std::string_view name, std::string_view help);
  Gauge& gauge(std::string_view name, std::string_view help);
  Histogram& histogram(std::string_view name, std::string_view help,
                       std::vector<double> bounds = default_latency_buckets());

  // Every family, sorted by name, in the Prometheus text format.
  std::string render() const;

 private:
  FamilyBase& add(std::unique_ptr<FamilyBase> candidate);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<FamilyBase>, std::less<>> families_;
};

// The Content-Type of render()'s output.
inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace seald::metrics
