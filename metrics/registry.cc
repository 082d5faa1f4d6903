#include "metrics/registry.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <type_traits>

#include <spdlog/spdlog.h>

#include "metrics/text_format.h"

namespace seald::metrics {

namespace {

// Misusing the registry is a bug in the caller, found by the first test or
// start-up that runs it, so it stops the process with the reason — on
// stderr too, since the default logger may be a file.
[[noreturn]] void invariant_failed(std::string_view what) {
  spdlog::critical("metrics: {}", what);
  std::fprintf(stderr, "metrics: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::kCounter:
      return "counter";
    case Kind::kGauge:
      return "gauge";
    case Kind::kHistogram:
      return "histogram";
  }
  return "untyped";
}

template <class Metric>
constexpr Kind kind_of() {
  if constexpr (std::is_same_v<Metric, Counter>) {
    return Kind::kCounter;
  } else if constexpr (std::is_same_v<Metric, Gauge>) {
    return Kind::kGauge;
  } else {
    return Kind::kHistogram;
  }
}

void render_sample(std::string& out, const FamilyBase& family,
                   const std::vector<std::string>& values, const Counter& c) {
  out += family.name();
  text::append_labels(out, family.label_names(), values);
  out += ' ';
  out += std::to_string(c.value());
  out += '\n';
}

void render_sample(std::string& out, const FamilyBase& family,
                   const std::vector<std::string>& values, const Gauge& g) {
  out += family.name();
  text::append_labels(out, family.label_names(), values);
  out += ' ';
  text::append_number(out, g.value());
  out += '\n';
}

void render_sample(std::string& out, const FamilyBase& family,
                   const std::vector<std::string>& values, const Histogram& h) {
  const Histogram::Snapshot s = h.snapshot();
  std::string bound;
  for (std::size_t i = 0; i < s.cumulative.size(); ++i) {
    bound.clear();
    text::append_number(bound, i < s.bounds.size() ? s.bounds[i] : INFINITY);
    out += family.name();
    out += "_bucket";
    text::append_labels(out, family.label_names(), values, "le", bound);
    out += ' ';
    out += std::to_string(s.cumulative[i]);
    out += '\n';
  }
  out += family.name();
  out += "_sum";
  text::append_labels(out, family.label_names(), values);
  out += ' ';
  text::append_number(out, s.sum);
  out += '\n';
  out += family.name();
  out += "_count";
  text::append_labels(out, family.label_names(), values);
  out += ' ';
  // The +Inf bucket, so that _count always agrees with the buckets printed.
  out += std::to_string(s.cumulative.back());
  out += '\n';
}

}  // namespace

FamilyBase::FamilyBase(std::string name, std::string help, Kind kind,
                       std::vector<std::string> label_names, std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      kind_(kind),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {}

template <class Metric>
Metric& Family<Metric>::with(std::span<const std::string_view> values) {
  if (values.size() != label_names_.size()) {
    invariant_failed(name_ + ": expected " + std::to_string(label_names_.size()) +
                     " label values, got " + std::to_string(values.size()));
  }
  {
    std::shared_lock lock(mutex_);
    if (auto it = children_.find(values); it != children_.end()) {
      return *it->second;
    }
  }
  std::unique_lock lock(mutex_);
  if (auto it = children_.find(values); it != children_.end()) {
    return *it->second;
  }
  std::vector<std::string> key(values.begin(), values.end());
  std::unique_ptr<Metric> child;
  if constexpr (std::is_same_v<Metric, Histogram>) {
    child = std::make_unique<Histogram>(bounds_);
  } else {
    child = std::make_unique<Metric>();
  }
  Metric& ref = *child;
  children_.emplace(std::move(key), std::move(child));
  return ref;
}

template <class Metric>
void Family<Metric>::render(std::string& out) const {
  out += "# HELP ";
  out += name_;
  out += ' ';
  text::append_help(out, help_);
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += kind_name(kind_);
  out += '\n';
  std::shared_lock lock(mutex_);
  for (const auto& [values, metric] : children_) {
    render_sample(out, *this, values, *metric);
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

FamilyBase& Registry::add(std::unique_ptr<FamilyBase> candidate) {
  if (!text::valid_metric_name(candidate->name())) {
    invariant_failed("invalid metric name '" + candidate->name() + "'");
  }
  for (const auto& label : candidate->label_names()) {
    if (!text::valid_label_name(label) ||
        (candidate->kind() == Kind::kHistogram && label == "le")) {
      invariant_failed(candidate->name() + ": invalid label name '" + label + "'");
    }
  }
  const auto& bounds = candidate->bounds();
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
      invariant_failed(candidate->name() + ": bucket bounds must be finite and increasing");
    }
  }

  std::lock_guard lock(mutex_);
  auto it = families_.find(candidate->name());
  if (it == families_.end()) {
    std::string name = candidate->name();
    return *families_.emplace(std::move(name), std::move(candidate)).first->second;
  }
  const FamilyBase& existing = *it->second;
  if (existing.kind() != candidate->kind() || existing.label_names() != candidate->label_names() ||
      existing.bounds() != candidate->bounds()) {
    invariant_failed(candidate->name() +
                     ": registered twice with different kind, labels or buckets");
  }
  return *it->second;
}

CounterFamily& Registry::counter_family(std::string_view name, std::string_view help,
                                        std::vector<std::string> label_names) {
  return static_cast<CounterFamily&>(
      add(std::make_unique<CounterFamily>(std::string(name), std::string(help), Kind::kCounter,
                                          std::move(label_names), std::vector<double>{})));
}

GaugeFamily& Registry::gauge_family(std::string_view name, std::string_view help,
                                    std::vector<std::string> label_names) {
  return static_cast<GaugeFamily&>(
      add(std::make_unique<GaugeFamily>(std::string(name), std::string(help), Kind::kGauge,
                                        std::move(label_names), std::vector<double>{})));
}

HistogramFamily& Registry::histogram_family(std::string_view name, std::string_view help,
                                            std::vector<std::string> label_names,
                                            std::vector<double> bounds) {
  return static_cast<HistogramFamily&>(
      add(std::make_unique<HistogramFamily>(std::string(name), std::string(help), Kind::kHistogram,
                                            std::move(label_names), std::move(bounds))));
}

Counter& Registry::counter(std::string_view name, std::string_view help) {
  return counter_family(name, help, {}).with({});
}

Gauge& Registry::gauge(std::string_view name, std::string_view help) {
  return gauge_family(name, help, {}).with({});
}

Histogram& Registry::histogram(std::string_view name, std::string_view help,
                               std::vector<double> bounds) {
  return histogram_family(name, help, {}, std::move(bounds)).with({});
}

std::string Registry::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, family] : families_) {
    family->render(out);
  }
  return out;
}

}  // namespace seald::metrics
