#pragma once

// A harness serving the application and upload routes, with the real
// workflow effects, a small org tree (province > city > bureau) and helpers
// to file applications and to prove a refused request changed nothing.

#include <gtest/gtest.h>

#include <string>

#include "api/routes.h"
#include "api/workflow_effects.h"
#include "audit/log.h"
#include "orgs/credit_code.h"
#include "tests/api/harness.h"
#include "tests/uploads/sample_files.h"

namespace seald::api::testing {

inline std::string test_credit_code(int n) {
  std::string digits = std::to_string(n);
  std::string body = "91330100" + std::string(9 - digits.size(), '0') + digits;
  return body + *orgs::credit_code_check_character(body);
}

class ApplicationApiTest : public ::testing::Test {
 protected:
  ApplicationApiTest()
      : harness_({add_application_routes}),
        effects_(harness_.services().roles, harness_.services().orgs) {
    harness_.effects().handler = [this](const workflow::Application& a) {
      return effects_.apply(a);
    };
    province_ = make_org("浙江省人民政府", "");
    city_ = make_org("杭州市人民政府", province_.id);
    bureau_ = make_org("杭州市市场监督管理局", city_.id);
  }

  orgs::Organisation make_org(const std::string& name, const std::string& parent) {
    auto org =
        harness_.services().orgs.create({name, test_credit_code(++codes_), "330000", parent});
    EXPECT_TRUE(org) << org.error().message;
    return org ? *org : orgs::Organisation{};
  }

  std::string upload(const Account& who, const std::string& bytes = uploads::samples::pdf()) {
    Reply r = harness_.call("POST", "/api/v1/uploads", who.token, bytes);
    EXPECT_EQ(r.status, 201u) << r.body;
    return std::string(r.json().as_object().at("id").as_string());
  }

  // A `new` contract seal for the bureau, decided by the city.
  boost::json::object new_seal_form(const std::string& seal_name,
                                    const std::string& payment_mode = "unified") {
    return {{"kind", "new"},          {"org_id", bureau_.id},        {"approving_org_id", city_.id},
            {"seal_name", seal_name}, {"seal_type", "contract"},     {"usage", "cloud"},
            {"validity", "1y"},       {"payment_mode", payment_mode}};
  }

  // Files the form; returns the application JSON (fails the test otherwise).
  boost::json::object file(const Account& who, const boost::json::object& form) {
    Reply r = harness_.call_json("POST", "/api/v1/applications", who.token, form);
    EXPECT_EQ(r.status, 201u) << r.body;
    auto json = r.json();
    return json.is_object() ? json.as_object() : boost::json::object{};
  }

  static std::string id_of(const boost::json::object& app) {
    return std::string(app.at("id").as_string());
  }
  static std::int64_t version_of(const boost::json::object& app) {
    return app.at("version").as_int64();
  }

  // The application and its history as stored: equal snapshots mean a
  // request changed nothing.
  std::string snapshot(const std::string& id) {
    std::string out = harness_.redis().cli({"HGETALL", "seald:wf:app:" + id});
    out += "|" + harness_.redis().cli({"LRANGE", "seald:wf:app:" + id + ":history", "0", "-1"});
    return out;
  }

  // How many audit records with this action and result exist.
  std::size_t audited(const std::string& action, const std::string& result) {
    audit::Filter filter;
    filter.action = action;
    auto page = harness_.services().audit.list(filter, "", 100);
    EXPECT_TRUE(page) << page.error().message;
    std::size_t n = 0;
    for (const auto& r : page->records) {
      n += r.result == result ? 1 : 0;
    }
    return n;
  }

  std::string path(const std::string& id, const std::string& tail = "") {
    return "/api/v1/applications/" + id + tail;
  }

  ApiHarness harness_;
  WorkflowEffects effects_;
  orgs::Organisation province_, city_, bureau_;
  int codes_ = 0;
};

}  // namespace seald::api::testing
