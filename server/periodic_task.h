#pragma once

// Runs a function every interval on a thread of its own until destroyed —
// for housekeeping such as marking seals expired, which must not wait for a
// request to happen by. The first run is one interval after construction;
// destruction wakes the thread and waits for a run in progress to finish.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace seald::server {

class PeriodicTask {
 public:
  PeriodicTask(std::function<void()> task, std::chrono::milliseconds interval);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void run();

  std::function<void()> task_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace seald::server
