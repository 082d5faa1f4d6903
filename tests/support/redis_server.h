#pragma once

#include <memory>
#include <string>

#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace seald::testing {

// A real redis-server on a free loopback port, with its data (AOF on,
// appendfsync always) in a temporary folder. Optional password (requirepass,
// set through a 0600 config file, never on the command line).
class RedisServer {
 public:
  struct Options {
    std::string password;  // empty: no AUTH
  };
  RedisServer() : RedisServer(Options{}) {}
  explicit RedisServer(Options options);
  ~RedisServer();

  unsigned short port() const { return port_; }
  const std::string& dir() const { return dir_.path(); }
  const std::string& log_file() const { return log_file_; }

  // Stops (SHUTDOWN semantics via SIGTERM) and starts again on the same port
  // and data, as a restart of the service would.
  void stop();
  void start();
  void kill9();
  bool running() { return process_ && process_->running(); }

  // Runs redis-cli against this server; returns its output (trimmed).
  std::string cli(const std::vector<std::string>& args);

 private:
  void wait_ready();
  Options options_;
  TempDir dir_;
  unsigned short port_;
  std::string conf_file_;
  std::string log_file_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace seald::testing
