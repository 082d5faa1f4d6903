// scripts/run as an operator uses it: first start makes the token, PINs and
// Redis and serves /readyz; Ctrl-C stops seald and its Redis; a second start
// reuses everything. No PIN or password shows in any output or command line.

#include <gtest/gtest.h>

#include <dirent.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/support/seald_node.h"

namespace seald::testing {
namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

// Every process's command line on the machine, joined.
std::string all_command_lines() {
  std::string all;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) {
    return all;
  }
  while (dirent* e = readdir(proc)) {
    if (e->d_name[0] >= '0' && e->d_name[0] <= '9') {
      std::string line = read_file(std::string("/proc/") + e->d_name + "/cmdline");
      for (char& c : line) {
        c = c == '\0' ? ' ' : c;
      }
      all += line + "\n";
    }
  }
  closedir(proc);
  return all;
}

bool pid_alive(const std::string& pid_text) {
  if (pid_text.empty()) {
    return false;
  }
  return ::kill(std::stoi(pid_text), 0) == 0;
}

class ScriptsRun : public ::testing::Test {
 protected:
  struct Run {
    std::unique_ptr<ChildProcess> process;
    std::string output_file;
  };

  Run start(const std::string& output_name) {
    Run run;
    run.output_file = out_.file(output_name);
    run.process = std::make_unique<ChildProcess>(
        std::vector<std::string>{"bash", std::string(SEALD_SOURCE_DIR) + "/scripts/run"},
        run.output_file,
        std::map<std::string, std::string>{{"SEALD_DATA_DIR", data_.path()},
                                           {"SEALD_LISTEN", "127.0.0.1:" + std::to_string(port_)},
                                           {"SEALD_REDIS_PORT", std::to_string(redis_port_)},
                                           {"SEALD_PREBUILT_DIR", SEALD_BUILD_DIR}});
    return run;
  }

  bool wait_ready(Run& run) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline && run.process->running()) {
      if (http_request("GET", url("/readyz")).status == 200) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::string data(const std::string& name) const { return data_.path() + "/" + name; }

  TempDir data_{"seald-run-data"};
  TempDir out_{"seald-run-out"};
  unsigned short port_ = free_loopback_port();
  unsigned short redis_port_ = free_loopback_port();
};

TEST_F(ScriptsRun, StartsStopsAndRestartsOnTheSameToken) {
  Run first = start("first.out");
  ASSERT_TRUE(wait_ready(first)) << read_file(first.output_file);

  std::string pin = trimmed(read_file(data("hsm/user.pin")));
  std::string so_pin = trimmed(read_file(data("hsm/so.pin")));
  std::string redis_password = trimmed(read_file(data("redis/password")));
  ASSERT_EQ(pin.size(), 32u);
  for (const char* secret_file : {"hsm/user.pin", "hsm/so.pin", "redis/password"}) {
    auto perms = std::filesystem::status(data(secret_file)).permissions();
    EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
              std::filesystem::perms::none)
        << secret_file << " must be private";
  }
  std::string command_lines = all_command_lines();
  std::string redis_pid = trimmed(read_file(data("redis/redis.pid")));
  ASSERT_TRUE(pid_alive(redis_pid)) << "scripts/run started its own redis-server";

  first.process->signal(SIGINT);  // Ctrl-C
  EXPECT_GE(first.process->wait(std::chrono::seconds(30)), 0) << "scripts/run must stop on Ctrl-C";
  EXPECT_FALSE(pid_alive(redis_pid)) << "Ctrl-C stops the Redis it started";
  EXPECT_NE(http_request("GET", url("/healthz")).status, 200) << "seald stopped too";

  Run second = start("second.out");
  ASSERT_TRUE(wait_ready(second)) << read_file(second.output_file);
  EXPECT_EQ(trimmed(read_file(data("hsm/user.pin"))), pin) << "the second run reuses the PIN";
  EXPECT_NE(read_file(second.output_file).find("exists"), std::string::npos)
      << "the token is reused, not made again: " << read_file(second.output_file);
  second.process->signal(SIGINT);
  second.process->wait(std::chrono::seconds(30));

  std::string everything = command_lines + read_file(first.output_file) +
                           read_file(second.output_file) + read_file(data("log/redis.log"));
  for (const std::string& secret : {pin, so_pin, redis_password}) {
    EXPECT_EQ(everything.find(secret), std::string::npos)
        << "a PIN or password reached a log or a command line";
  }
}

}  // namespace
}  // namespace seald::testing
