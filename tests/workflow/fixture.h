#pragma once

// A workflow on a real redis-server, plus what the tests need to look at it
// from outside: a snapshot of every key's serialised value, so "a refused
// request changes nothing" is checked byte for byte.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "redis/pool.h"
#include "tests/support/redis_server.h"
#include "workflow/workflow.h"

namespace seald::workflow::testing {

// A valid `new` application for a contract seal; tests change what they probe.
inline ApplicationForm new_seal_form(std::string name, std::string org = "org-1",
                                     std::string approving = "gov-1") {
  ApplicationForm f;
  f.kind = "new";
  f.org_id = std::move(org);
  f.approving_org_id = std::move(approving);
  f.seal_name = std::move(name);
  f.seal_type = "contract";
  f.usage = "cloud";
  f.validity = "2y";
  f.payment_mode = "unified";
  return f;
}

inline ApplicationForm seal_change_form(std::string kind, std::string seal_code = "S-0001") {
  ApplicationForm f;
  f.kind = std::move(kind);
  f.org_id = "org-1";
  f.approving_org_id = "gov-1";
  f.seal_code = std::move(seal_code);
  f.reason = "印章遗失";
  return f;
}

inline ApplicationForm org_update_form() {
  ApplicationForm f;
  f.kind = "org_update";
  f.org_id = "org-1";
  f.approving_org_id = "gov-1";
  f.new_name = "杭州市数据资源管理局";
  f.new_credit_code = "91350100M000100Y43";
  f.licence_upload_id = "up-licence-1";
  return f;
}

inline ApplicationForm seal_admin_form() {
  ApplicationForm f;
  f.kind = "seal_admin";
  f.org_id = "org-1";
  f.approving_org_id = "gov-1";
  f.region_code = "330100";
  f.form_upload_id = "up-form-1";
  return f;
}

class WorkflowTest : public ::testing::Test {
 protected:
  WorkflowTest() : pool_(endpoint(), 4), workflow_(pool_, nullptr) {}

  redis::Endpoint endpoint() const {
    redis::Endpoint e;
    e.port = server_.port();
    e.connect_timeout = std::chrono::milliseconds(1000);
    e.command_timeout = std::chrono::milliseconds(2000);
    return e;
  }

  // Every key with its DUMP: equal snapshots mean nothing was written.
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

  Application create_ok(const ApplicationForm& form, const std::string& applicant = "user-1") {
    auto app = workflow_.create(applicant, form);
    EXPECT_TRUE(app) << (app ? "" : app.error().code + ": " + app.error().message);
    return app ? *app : Application{};
  }

  seald::testing::RedisServer server_;
  redis::Pool pool_;
  Workflow workflow_;
};

// Asserts a call failed with `code`; prints the message when it did not.
#define EXPECT_ERROR_CODE(result, expected_code)                                     \
  do {                                                                               \
    const auto& r_ = (result);                                                       \
    ASSERT_FALSE(r_) << "expected " << (expected_code) << " but the call succeeded"; \
    EXPECT_EQ(r_.error().code, (expected_code)) << r_.error().message;               \
  } while (0)

}  // namespace seald::workflow::testing
