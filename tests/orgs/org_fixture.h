#pragma once

// A real redis-server and an OrgStore on it, with helpers to build trees and
// to prove that a refused call changed nothing.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "orgs/credit_code.h"
#include "orgs/org_store.h"
#include "redis/pool.h"
#include "tests/support/redis_server.h"

namespace seald::orgs {

// A valid code made up for the test, distinct for each n.
inline std::string test_code(int n) {
  std::string digits = std::to_string(n);
  std::string body = "91330100" + std::string(9 - digits.size(), '0') + digits;
  return body + *credit_code_check_character(body);
}

class OrgStoreTest : public ::testing::Test {
 protected:
  OrgStoreTest() : pool_(endpoint(), 8), store_(pool_) {}

  redis::Endpoint endpoint() {
    redis::Endpoint e;
    e.port = server_.port();
    return e;
  }

  Organisation make(const std::string& name, const std::string& parent = "") {
    auto org = store_.create({name, test_code(++codes_), "330000", parent});
    EXPECT_TRUE(org) << org.error().message;
    return org ? *org : Organisation{};
  }

  static std::vector<std::string> names(const OrgPage& page) {
    std::vector<std::string> out;
    for (const auto& o : page.items) {
      out.push_back(o.name);
    }
    return out;
  }

  // Every key and its serialised value: equal snapshots mean nothing changed.
  std::map<std::string, std::string> snapshot() {
    auto lease = pool_.acquire();
    EXPECT_TRUE(lease);
    std::map<std::string, std::string> out;
    auto keys = (*lease)->command({"KEYS", "*"});
    EXPECT_TRUE(keys);
    for (std::size_t i = 0; i < keys->size(); ++i) {
      std::string key(keys->element(i)->str, keys->element(i)->len);
      auto dump = (*lease)->command({"DUMP", key});
      EXPECT_TRUE(dump);
      out[key] = std::string(dump->str());
    }
    return out;
  }

  testing::RedisServer server_;
  redis::Pool pool_;
  OrgStore store_;
  int codes_ = 0;
};

}  // namespace seald::orgs
