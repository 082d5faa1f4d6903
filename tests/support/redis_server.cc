#include "tests/support/redis_server.h"

#include <signal.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace seald::testing {

RedisServer::RedisServer(Options options)
    : options_(std::move(options)), dir_("seald-redis"), port_(free_loopback_port()) {
  conf_file_ = dir_.file("redis.conf");
  log_file_ = dir_.file("redis.log");
  std::string conf = "bind 127.0.0.1\nport " + std::to_string(port_) + "\ndir " + dir_.path() +
                     "\nappendonly yes\nappendfsync always\nsave \"\"\ndaemonize no\n"
                     "protected-mode yes\n";
  if (!options_.password.empty()) {
    conf += "requirepass " + options_.password + "\n";
  }
  write_file(conf_file_, conf, 0600);
  start();
}

RedisServer::~RedisServer() {
  if (process_) {
    process_->stop(std::chrono::seconds(5));
  }
}

void RedisServer::start() {
  process_ = std::make_unique<ChildProcess>(std::vector<std::string>{"redis-server", conf_file_},
                                            log_file_);
  wait_ready();
}

void RedisServer::stop() {
  if (process_) {
    process_->stop(std::chrono::seconds(10));
    process_.reset();
  }
}

void RedisServer::kill9() {
  if (process_) {
    process_->signal(SIGKILL);
    process_->wait(std::chrono::seconds(10));
    process_.reset();
  }
}

std::string RedisServer::cli(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"redis-cli", "-h", "127.0.0.1", "-p", std::to_string(port_)};
  std::map<std::string, std::string> env;
  if (!options_.password.empty()) {
    env["REDISCLI_AUTH"] = options_.password;  // keeps it off the command line
  }
  argv.insert(argv.end(), args.begin(), args.end());
  std::string out;
  run_command(argv, &out, env);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
    out.pop_back();
  }
  return out;
}

void RedisServer::wait_ready() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (cli({"PING"}) == "PONG") {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("redis-server did not answer PING on port " + std::to_string(port_) +
                           "; see " + log_file_);
}

}  // namespace seald::testing
