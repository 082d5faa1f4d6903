#pragma once

// A whole seald node for end-to-end tests: a fresh SoftHSMv2 token made with
// `sealdctl hsm init-token` (as scripts/run does), a password-protected
// redis-server, a seald.toml, and the real `seald` binary as a child process.
// Binaries are found through SEALD_BINARY_DIR, set by CMake.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace seald::testing {

struct HttpResponse {
  int status = 0;  // 0: no HTTP answer at all
  std::string body;
  std::string headers;
};

// One request through the curl CLI (an independent client).
HttpResponse http_request(const std::string& method, const std::string& url,
                          const std::string& body = "",
                          const std::vector<std::string>& headers = {});

std::string binary_path(const std::string& relative);  // e.g. "server/seald"
std::string random_hex(std::size_t bytes);

// A SoftHSMv2 token in its own folder, initialised through sealdctl.
class TokenDir {
 public:
  TokenDir();
  const std::string& conf() const { return conf_; }
  const std::string& pin_file() const { return pin_file_; }
  const std::string& so_pin_file() const { return so_pin_file_; }
  std::string pin() const { return read_file(pin_file_); }
  std::string so_pin() const { return read_file(so_pin_file_); }
  std::map<std::string, std::string> env() const { return {{"SOFTHSM2_CONF", conf_}}; }
  static constexpr const char* kLabel = "seald-e2e";
  static constexpr const char* kModule = "/usr/lib/softhsm/libsofthsm2.so";

 private:
  TempDir dir_;
  std::string conf_, pin_file_, so_pin_file_;
};

class SealdNode {
 public:
  struct Options {
    std::string log_level = "debug";
    std::map<std::string, std::string> extra_env;
    std::string extra_toml;  // appended verbatim
    // The PKCS#11 module seald loads; a fault-injecting wrapper in fault tests.
    std::string hsm_module = TokenDir::kModule;
  };
  // Starts a node on a fresh token and Redis of its own.
  explicit SealdNode(Options options);
  SealdNode() : SealdNode(Options{}) {}
  // A second node of the same deployment: its own port, data folder and
  // process, but the first node's token and Redis (which outlive both).
  SealdNode(const SealdNode& first, Options options);
  ~SealdNode();

  // Starts seald; returns false if it exited or did not answer /healthz in time.
  bool start();
  int stop();    // SIGTERM; returns the exit status
  void kill9();  // SIGKILL, as a crash or an OOM killer would, and reap it
  bool running() { return process_ && process_->running(); }
  pid_t pid() const { return process_ ? process_->pid() : -1; }

  std::string url(const std::string& path) const;
  std::string log() const { return read_file(log_file_); }
  const std::string& config_file() const { return config_file_; }
  const std::string& data_dir() const { return dir_.path(); }
  RedisServer& redis() { return *redis_; }
  TokenDir& token() { return *token_; }
  const std::string& redis_password() const { return redis_password_; }

 private:
  void write_config();

  Options options_;
  TempDir dir_;
  std::shared_ptr<TokenDir> token_;
  std::string redis_password_;
  std::shared_ptr<RedisServer> redis_;
  unsigned short port_;
  std::string config_file_, log_file_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace seald::testing
