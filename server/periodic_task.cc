#include "server/periodic_task.h"

#include <utility>

namespace seald::server {

PeriodicTask::PeriodicTask(std::function<void()> task, std::chrono::milliseconds interval)
    : task_(std::move(task)), interval_(interval), thread_([this] { run(); }) {}

PeriodicTask::~PeriodicTask() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void PeriodicTask::run() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    task_();
    lock.lock();
  }
}

}  // namespace seald::server
