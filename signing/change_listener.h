#pragma once

// A subscriber to seald:changes on its own hiredis connection and thread.
// It waits on the socket with poll() in short slices so stop() is prompt,
// and when the connection breaks it reconnects with backoff and says so
// (on_subscribed), because whatever was published meanwhile is lost.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>

#include "redis/connection.h"

namespace seald::signing {

inline constexpr std::string_view kChangesChannel = "seald:changes";

class ChangeListener {
 public:
  struct Handlers {
    std::function<void(std::string_view payload)> on_notice;
    // After every successful SUBSCRIBE, the first included.
    std::function<void()> on_subscribed;
  };

  ChangeListener(redis::Endpoint endpoint, Handlers handlers);
  ~ChangeListener();
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;

  void start();
  // Returns within about one poll slice; idempotent.
  void stop();

 private:
  void run();
  // False when stop() came first.
  bool pause(std::chrono::milliseconds how_long);

  redis::Endpoint endpoint_;
  Handlers handlers_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace seald::signing
