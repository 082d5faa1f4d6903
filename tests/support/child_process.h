#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace seald::testing {

// A child process started with posix_spawn, its stdout and stderr sent to a
// file. The destructor kills (SIGKILL) and reaps it if it is still running.
class ChildProcess {
 public:
  // env entries are added to (or replace those in) the current environment.
  ChildProcess(std::vector<std::string> argv, const std::string& output_file,
               const std::map<std::string, std::string>& env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void signal(int sig);
  // Waits for exit; returns the exit status (or 128+signal), -1 on timeout.
  int wait(std::chrono::milliseconds timeout);
  // SIGTERM, wait up to grace, then SIGKILL. Returns the exit status.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

// Runs a command to completion; returns its exit status and fills output
// (stdout and stderr together).
int run_command(const std::vector<std::string>& argv, std::string* output = nullptr,
                const std::map<std::string, std::string>& env = {});

}  // namespace seald::testing
