#include "tests/support/seald_node.h"

#include <csignal>

#include <openssl/rand.h>

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace seald::testing {

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

std::string binary_path(const std::string& relative) {
  return std::string(SEALD_BINARY_DIR) + "/" + relative;
}

HttpResponse http_request(const std::string& method, const std::string& url,
                          const std::string& body, const std::vector<std::string>& headers) {
  TempDir dir("seald-curl");
  std::vector<std::string> argv{"curl",       "-sS",
                                "-X",         method,
                                "-o",         dir.file("body"),
                                "-D",         dir.file("headers"),
                                "-w",         "%{http_code}",
                                "--max-time", "30"};
  for (const auto& h : headers) {
    argv.push_back("-H");
    argv.push_back(h);
  }
  if (!body.empty()) {
    write_file(dir.file("request"), body);
    argv.push_back("--data-binary");
    argv.push_back("@" + dir.file("request"));
  }
  argv.push_back(url);
  std::string out;
  run_command(argv, &out);
  HttpResponse r;
  try {
    r.status = std::stoi(out.substr(out.size() >= 3 ? out.size() - 3 : 0));
  } catch (...) {
    r.status = 0;
  }
  r.body = read_file(dir.file("body"));
  r.headers = read_file(dir.file("headers"));
  return r;
}

TokenDir::TokenDir() : dir_("seald-token") {
  conf_ = dir_.file("softhsm2.conf");
  pin_file_ = dir_.file("user.pin");
  so_pin_file_ = dir_.file("so.pin");
  std::string tokens = dir_.file("tokens");
  run_command({"mkdir", "-p", tokens});
  write_file(conf_, "directories.tokendir = " + tokens +
                        "\nobjectstore.backend = file\nlog.level = ERROR\n");
  write_file(pin_file_, random_hex(16) + "\n", 0600);
  write_file(so_pin_file_, random_hex(16) + "\n", 0600);
  std::string out;
  int rc = run_command({binary_path("cli/sealdctl"), "hsm", "init-token", "--module", kModule,
                        "--label", kLabel, "--so-pin-file", so_pin_file_, "--pin-file", pin_file_},
                       &out, env());
  if (rc != 0) {
    throw std::runtime_error("sealdctl hsm init-token failed: " + out);
  }
}

SealdNode::SealdNode(Options options)
    : options_(std::move(options)),
      dir_("seald-node"),
      token_(std::make_shared<TokenDir>()),
      redis_password_(random_hex(16)),
      redis_(std::make_shared<RedisServer>(RedisServer::Options{redis_password_})),
      port_(free_loopback_port()) {
  config_file_ = dir_.file("seald.toml");
  log_file_ = dir_.file("seald.log");
  write_file(dir_.file("redis.password"), redis_password_ + "\n", 0600);
  write_config();
}

SealdNode::SealdNode(const SealdNode& first, Options options)
    : options_(std::move(options)),
      dir_("seald-node"),
      token_(first.token_),
      redis_password_(first.redis_password_),
      redis_(first.redis_),
      port_(free_loopback_port()) {
  config_file_ = dir_.file("seald.toml");
  log_file_ = dir_.file("seald.log");
  write_file(dir_.file("redis.password"), redis_password_ + "\n", 0600);
  write_config();
}

SealdNode::~SealdNode() {
  if (process_) {
    process_->stop(std::chrono::seconds(10));
  }
}

void SealdNode::write_config() {
  std::ostringstream toml;
  toml << "data_dir = \"" << dir_.path() << "\"\n"
       << "[server]\nlisten = \"127.0.0.1:" << port_ << "\"\nio_threads = 2\n"
       << "[hsm]\nmodule = \"" << options_.hsm_module << "\"\ntoken_label = \"" << TokenDir::kLabel
       << "\"\npin_file = \"" << token_->pin_file() << "\"\n"
       << "[redis]\nport = " << redis_->port() << "\npassword_file = \""
       << dir_.file("redis.password") << "\"\nconnect_timeout_ms = 500\n"
       << "command_timeout_ms = 1000\n"
       << "[log]\nlevel = \"" << options_.log_level << "\"\n"
       << options_.extra_toml;
  write_file(config_file_, toml.str(), 0600);
}

bool SealdNode::start() {
  auto env = token_->env();
  for (const auto& [k, v] : options_.extra_env) {
    env[k] = v;
  }
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{binary_path("server/seald"), "--config", config_file_}, log_file_,
      env);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->running()) {
      return false;
    }
    if (http_request("GET", url("/healthz")).status == 200) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int SealdNode::stop() {
  if (!process_) {
    return -1;
  }
  int st = process_->stop(std::chrono::seconds(15));
  process_.reset();
  return st;
}

void SealdNode::kill9() {
  if (!process_) {
    return;
  }
  process_->signal(SIGKILL);
  process_->wait(std::chrono::seconds(10));
  process_.reset();
}

std::string SealdNode::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

}  // namespace seald::testing
