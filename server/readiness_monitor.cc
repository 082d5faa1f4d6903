#include "server/readiness_monitor.h"

#include <spdlog/spdlog.h>

namespace seald::server {

ReadinessMonitor::ReadinessMonitor(std::vector<Probe> probes, std::chrono::milliseconds interval)
    : probes_(std::move(probes)), interval_(interval) {
  results_.resize(probes_.size());
  probe_all();
  thread_ = std::thread([this] { run(); });
}

ReadinessMonitor::~ReadinessMonitor() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void ReadinessMonitor::probe_all() {
  for (std::size_t i = 0; i < probes_.size(); ++i) {
    Status status = probes_[i].probe();
    std::lock_guard lock(mu_);
    bool was_ok = results_[i].has_value();
    if (was_ok && !status) {
      spdlog::warn("{} is not ready: {} ({})", probes_[i].name, status.error().message,
                   status.error().code);
    } else if (!was_ok && status) {
      spdlog::info("{} is ready again", probes_[i].name);
    }
    results_[i] = std::move(status);
  }
}

void ReadinessMonitor::run() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    probe_all();
    lock.lock();
  }
}

std::vector<ReadinessCheck> ReadinessMonitor::checks() {
  std::vector<ReadinessCheck> out;
  for (std::size_t i = 0; i < probes_.size(); ++i) {
    out.push_back({probes_[i].name, [this, i]() -> Status {
                     std::lock_guard lock(mu_);
                     return results_[i];
                   }});
  }
  return out;
}

}  // namespace seald::server
