#pragma once

// What the seal, lifecycle and grant API tests share: a harness with every
// seal-related route group, an org tree (a city, a bureau under it, another
// city), the people who act on seals, and shortcuts to make seals and
// register apps through the real routes.

#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "api/routes.h"
#include "audit/log.h"
#include "orgs/credit_code.h"
#include "tests/api/harness.h"

namespace seald::api::testing {

// Seal codes are key ids on the process's one token: each test numbers its
// seals in a region of its own.
inline std::string fresh_region() {
  static std::atomic<unsigned> next{0};
  return std::to_string(120000 + next++);
}

class SealApiTest : public ::testing::Test {
 protected:
  SealApiTest()
      : harness_({add_application_routes, add_seal_routes, add_seal_lifecycle_routes,
                  add_app_routes, add_grant_routes, add_grant_list_routes,
                  [](server::Router& router, Services& services) {
                    add_ca_routes(router, services.ca);
                  }}) {
    region_ = fresh_region();
    city_ = make_org("杭州市人民政府", "");
    bureau_ = make_org("杭州市数据资源管理局", city_.id);
    other_ = make_org("宁波市人民政府", "");
    applicant_ = harness_.make_user("申请人");
    operator_ = harness_.make_user("制章员", {authz::Grant::operator_role()});
    admin_ = harness_.make_user("系统管理员", {authz::Grant::system_admin()});
    city_admin_ =
        harness_.make_user("市印章管理员", {authz::Grant::org_seal_admin(region_, city_.id)});
    other_admin_ =
        harness_.make_user("宁波印章管理员", {authz::Grant::org_seal_admin(region_, other_.id)});
    stranger_ = harness_.make_user("路人");
  }

  orgs::Organisation make_org(const std::string& name, const std::string& parent) {
    std::string digits = std::to_string(++codes_);
    std::string body = "91330100" + std::string(9 - digits.size(), '0') + digits;
    auto org = harness_.services().orgs.create(
        {name, body + *orgs::credit_code_check_character(body), region_, parent});
    EXPECT_TRUE(org) << org.error().message;
    return org ? *org : orgs::Organisation{};
  }

  // An approved `new` application of the applicant's, waiting to be made.
  workflow::Application approved(const std::string& name, const std::string& usage,
                                 const std::string& org_id = "") {
    workflow::ApplicationForm form;
    form.kind = "new";
    form.org_id = org_id.empty() ? bureau_.id : org_id;
    form.approving_org_id = city_.id;
    form.seal_name = name;
    form.seal_type = "contract";
    form.usage = usage;
    form.validity = "1y";
    form.payment_mode = "unified";
    auto app = harness_.services().workflow.create(applicant_.user_id, form);
    EXPECT_TRUE(app) << app.error().message;
    auto done = harness_.services().workflow.approve(app->id, app->version, "reviewer");
    EXPECT_TRUE(done) << done.error().message;
    return done->application;
  }

  Reply make(const Account& who, const workflow::Application& app,
             const std::string& algorithm = "") {
    boost::json::object body{{"version", app.version}};
    if (!algorithm.empty()) {
      body["key_algorithm"] = algorithm;
    }
    return harness_.call_json("POST", "/api/v1/applications/" + app.id + "/make", who.token, body);
  }

  // Makes a seal; returns its code.
  std::string made(const std::string& name, const std::string& usage,
                   const std::string& org_id = "") {
    Reply r = make(operator_, approved(name, usage, org_id));
    EXPECT_EQ(r.status, 201u) << r.body;
    return r.status == 201 ? std::string(r.json().at("code").as_string()) : std::string();
  }

  // Registers an app through the API as the system admin; returns its id.
  std::string register_app(const std::string& name, const std::string& kind = "cloud") {
    Reply r = harness_.call_json("POST", "/api/v1/apps", admin_.token,
                                 {{"name", name},
                                  {"competent_unit", "市数据局"},
                                  {"developer_unit", "某软件公司"},
                                  {"kind", kind}});
    EXPECT_EQ(r.status, 201u) << r.body;
    return r.status == 201 ? std::string(r.json().at("app").at("id").as_string()) : std::string();
  }

  // Files a lifecycle application (revoke, reissue, report_loss, restore)
  // for a seal of the bureau as `who`.
  Reply file_change(const Account& who, const std::string& kind, const std::string& code,
                    const std::string& org_id = "") {
    return harness_.call_json("POST", "/api/v1/applications", who.token,
                              {{"kind", kind},
                               {"org_id", org_id.empty() ? bureau_.id : org_id},
                               {"approving_org_id", city_.id},
                               {"seal_code", code},
                               {"reason", "测试"}});
  }

  // The seal as the API shows it to the system admin.
  boost::json::object seal(const std::string& code) {
    Reply r = harness_.call("GET", "/api/v1/seals/" + code, admin_.token);
    EXPECT_EQ(r.status, 200u) << r.body;
    return r.status == 200 ? r.json().as_object() : boost::json::object();
  }

  std::size_t audited(const std::string& action, const std::string& result) {
    audit::Filter filter;
    filter.action = action;
    auto page = harness_.services().audit.list(filter, "", 100);
    EXPECT_TRUE(page);
    std::size_t n = 0;
    for (const auto& r : page->records) {
      n += r.result == result ? 1 : 0;
    }
    return n;
  }

  ApiHarness harness_;
  std::string region_;
  orgs::Organisation city_, bureau_, other_;
  Account applicant_, operator_, admin_, city_admin_, other_admin_, stranger_;
  int codes_ = 0;
};

}  // namespace seald::api::testing
