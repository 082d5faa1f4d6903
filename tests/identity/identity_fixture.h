#pragma once

// A real redis-server, a pool, a code sender that remembers what it sent,
// and an Identity with test-sized costs and durations.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "identity/identity.h"
#include "tests/support/redis_server.h"

namespace seald::identity::testing {

// A resident ID number with its check character computed here, from the
// standard's weights, independently of the code under test.
inline std::string make_id_number(const std::string& region6, const std::string& birth8,
                                  const std::string& seq3) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  std::string body = region6 + birth8 + seq3;
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    sum += (body[i] - '0') * kWeights[i];
  }
  return body + "10X98765432"[sum % 11];
}

// Reads every value of every key in Redis, whatever its type.
inline std::string dump_all_values(seald::testing::RedisServer& server) {
  std::string all;
  std::istringstream keys(server.cli({"--scan"}));
  for (std::string key; std::getline(keys, key);) {
    all += key + "\n";
    std::string type = server.cli({"TYPE", key});
    if (type == "string") {
      all += server.cli({"GET", key});
    } else if (type == "hash") {
      all += server.cli({"HGETALL", key});
    } else if (type == "set") {
      all += server.cli({"SMEMBERS", key});
    } else if (type == "zset") {
      all += server.cli({"ZRANGE", key, "0", "-1", "WITHSCORES"});
    } else {
      all += "unexpected type " + type;
    }
    all += "\n";
  }
  return all;
}

class CapturingSender : public CodeSender {
 public:
  Status send(std::string_view mobile, CodePurpose purpose, const Secret& code) override {
    std::lock_guard lock(mu_);
    if (fail) {
      return make_error("gateway_down", "SMS gateway unreachable");
    }
    codes_[key(mobile, purpose)] = std::string(code.reveal());
    ++sent_;
    return {};
  }
  std::string last(std::string_view mobile, CodePurpose purpose) {
    std::lock_guard lock(mu_);
    return codes_[key(mobile, purpose)];
  }
  int sent() {
    std::lock_guard lock(mu_);
    return sent_;
  }
  std::atomic<bool> fail{false};

 private:
  static std::string key(std::string_view mobile, CodePurpose purpose) {
    return std::string(mobile) + "/" + std::string(to_string(purpose));
  }
  std::mutex mu_;
  std::map<std::string, std::string> codes_;
  int sent_ = 0;
};

inline IdentityOptions fast_options() {
  IdentityOptions o;
  o.password.time_cost = 1;
  o.password.memory_kib = 256;
  o.codes.resend_interval = std::chrono::milliseconds(1);
  o.login.max_failures = 3;
  o.login.failure_window = std::chrono::seconds(5);
  o.login.lock_duration = std::chrono::milliseconds(500);
  return o;
}

inline redis::Endpoint endpoint_for(const seald::testing::RedisServer& server) {
  redis::Endpoint e;
  e.port = server.port();
  e.connect_timeout = std::chrono::milliseconds(500);
  return e;
}

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override { rebuild(fast_options()); }

  void rebuild(const IdentityOptions& options) {
    auto created = Identity::create(pool, sender, options);
    ASSERT_TRUE(created) << created.error().message;
    id = std::move(*created);
  }

  // Asks for a register code and registers with it.
  Result<User> register_person(const std::string& name, const std::string& id_number,
                               const std::string& mobile, const std::string& password) {
    // Outlast the 1 ms resend throttle of fast_options(): with cheap argon2
    // settings a previous registration for this mobile can finish inside it.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (auto sent = id->codes().send(CodePurpose::register_account, mobile); !sent) {
      return sent.error();
    }
    return id->users().register_user({name, id_number, mobile, Secret(password),
                                      sender.last(mobile, CodePurpose::register_account)});
  }

  seald::testing::RedisServer server;
  redis::Pool pool{endpoint_for(server), 8};
  CapturingSender sender;
  std::unique_ptr<Identity> id;
};

}  // namespace seald::identity::testing
