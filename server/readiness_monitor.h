#pragma once

// Runs slow readiness probes (a Redis PING, an HSM session check) on a thread
// of its own, every interval, and serves their latest results to /readyz.
// /readyz runs on an I/O thread and must not wait on Redis or the HSM; this
// keeps it instant while staying at most one interval stale.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "server/ops_routes.h"

namespace seald::server {

class ReadinessMonitor {
 public:
  struct Probe {
    std::string name;
    std::function<Status()> probe;
  };

  // Runs every probe once before returning, so the first /readyz is accurate.
  ReadinessMonitor(std::vector<Probe> probes, std::chrono::milliseconds interval);
  ~ReadinessMonitor();
  ReadinessMonitor(const ReadinessMonitor&) = delete;
  ReadinessMonitor& operator=(const ReadinessMonitor&) = delete;

  // One check per probe, reading the latest result.
  std::vector<ReadinessCheck> checks();

 private:
  void run();
  void probe_all();

  std::vector<Probe> probes_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::vector<Status> results_;  // guarded by mu_, one per probe
  std::thread thread_;
};

}  // namespace seald::server
