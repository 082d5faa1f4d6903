// The system admin's side of accounts: GET /users and the role routes.

#include <gtest/gtest.h>

#include "tests/api/account_test_support.h"

namespace seald::api::testing {
namespace {

namespace json = boost::json;
using authz::Grant;

class AccountRoles : public ::testing::Test {
 protected:
  ApiHarness harness{account_org_audit_routes()};
  Account admin = harness.make_user("Admin", {Grant::system_admin()});

  std::string make_org(unsigned n) {
    auto org =
        harness.services().orgs.create({"Org " + std::to_string(n), credit_code(n), "330100", ""});
    EXPECT_TRUE(org) << org.error().message;
    return org ? org->id : "";
  }

  Reply grant(const Account& caller, const std::string& user_id, const json::object& body) {
    return harness.call_json("POST", "/api/v1/users/" + user_id + "/roles", caller.token, body);
  }
  Reply revoke(const Account& caller, const std::string& user_id, const json::object& body) {
    return harness.call_json("POST", "/api/v1/users/" + user_id + "/roles/revoke", caller.token,
                             body);
  }
  std::vector<Grant> grants_of(const std::string& user_id) {
    return *harness.services().roles.grants_of(user_id);
  }
};

TEST_F(AccountRoles, AdminPagesThroughUsers) {
  for (int i = 0; i < 3; ++i) {
    harness.make_user("User " + std::to_string(i));
  }
  Reply page = harness.call("GET", "/api/v1/users?offset=1&limit=2", admin.token);
  ASSERT_EQ(page.status, 200u) << page.body;
  auto body = page.json().as_object();
  EXPECT_EQ(body.at("total"), 4);
  EXPECT_EQ(body.at("offset"), 1);
  EXPECT_EQ(body.at("limit"), 2);
  ASSERT_EQ(body.at("items").as_array().size(), 2u);
  for (const auto& user : body.at("items").as_array()) {
    EXPECT_NE(user.at("id_number").as_string().find("********"), std::string::npos);
    EXPECT_FALSE(user.as_object().contains("password_hash"));
  }
  EXPECT_EQ(page.body.find("Passw0rd"), std::string::npos);
  EXPECT_EQ(harness.call("GET", "/api/v1/users?limit=500", admin.token).error(), "paging_invalid");
}

TEST_F(AccountRoles, OnlySystemAdminsSeeUsersAndRolesAndRefusalsAreAudited) {
  Account target = harness.make_user("Target");
  std::vector<Account> others{harness.make_user("Auditor", {Grant::auditor()}),
                              harness.make_user("Operator", {Grant::operator_role()}),
                              harness.make_user("Reviewer", {Grant::reviewer("o1")}),
                              harness.make_user("Scope", {Grant::org_seal_admin("330000", "o1")}),
                              harness.make_user("Plain")};
  for (const auto& caller : others) {
    EXPECT_EQ(harness.call("GET", "/api/v1/users", caller.token).status, 403u);
    Reply roles = harness.call("GET", "/api/v1/users/" + target.user_id + "/roles", caller.token);
    EXPECT_EQ(roles.status, 403u);
    EXPECT_EQ(roles.error(), "forbidden");
    EXPECT_EQ(grant(caller, caller.user_id, {{"role", "system_admin"}}).status, 403u);
    EXPECT_EQ(revoke(caller, admin.user_id, {{"role", "system_admin"}}).status, 403u);
    EXPECT_EQ(grants_of(caller.user_id).size(), caller.user_id == others.back().user_id ? 0u : 1u);
    auto refused = audit_records(harness, {"user:" + caller.user_id, "", "", 0, 0});
    ASSERT_EQ(refused.size(), 4u);
    for (const auto& record : refused) {
      EXPECT_EQ(record.result, "forbidden");
    }
  }
  EXPECT_EQ(grants_of(admin.user_id), std::vector<Grant>{Grant::system_admin()});
  EXPECT_EQ(harness.call("GET", "/api/v1/users").error(), "unauthenticated");
  EXPECT_EQ(grant(Account{}, target.user_id, {{"role", "auditor"}}).status, 401u);
  EXPECT_TRUE(grants_of(target.user_id).empty());
}

TEST_F(AccountRoles, GrantGivesExactlyThatPowerAndRevokeTakesItBack) {
  Account bob = harness.make_user("Bob");
  EXPECT_EQ(harness.call("GET", "/api/v1/audit", bob.token).status, 403u);
  Reply granted = grant(admin, bob.user_id, {{"role", "auditor"}});
  ASSERT_EQ(granted.status, 200u) << granted.body;
  EXPECT_EQ(json::serialize(granted.json()),
            R"({"roles":[{"role":"auditor","org_id":"","region":""}]})");
  EXPECT_EQ(harness.call("GET", "/api/v1/audit", bob.token).status, 200u);
  EXPECT_EQ(harness.call("GET", "/api/v1/users", bob.token).status, 403u);
  Reply listed = harness.call("GET", "/api/v1/users/" + bob.user_id + "/roles", admin.token);
  EXPECT_EQ(listed.body, granted.body);

  auto records = audit_records(harness, {"user:" + admin.user_id, "role.grant", "", 0, 0});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].target, "user:" + bob.user_id);
  EXPECT_EQ(detail(records[0], "role"), "auditor");

  Reply revoked = revoke(admin, bob.user_id, {{"role", "auditor"}});
  ASSERT_EQ(revoked.status, 200u) << revoked.body;
  EXPECT_EQ(json::serialize(revoked.json()), R"({"roles":[]})");
  EXPECT_EQ(harness.call("GET", "/api/v1/audit", bob.token).status, 403u);
  EXPECT_EQ(audit_records(harness, {"", "role.revoke", "user:" + bob.user_id, 0, 0}).size(), 1u);
}

TEST_F(AccountRoles, BoundRolesNeedAnExistingOrg) {
  Account bob = harness.make_user("Bob");
  std::string org = make_org(1);
  Reply reviewer = grant(admin, bob.user_id, {{"role", "reviewer"}, {"org_id", org}});
  ASSERT_EQ(reviewer.status, 200u) << reviewer.body;
  Reply scope = grant(admin, bob.user_id,
                      {{"role", "org_seal_admin"}, {"org_id", org}, {"region", "330100"}});
  ASSERT_EQ(scope.status, 200u) << scope.body;
  EXPECT_EQ(grants_of(bob.user_id).size(), 2u);

  Reply unknown_org = grant(admin, bob.user_id, {{"role", "reviewer"}, {"org_id", "nope"}});
  EXPECT_EQ(unknown_org.status, 404u);
  EXPECT_EQ(unknown_org.error(), "org_not_found");
  EXPECT_EQ(grant(admin, bob.user_id, {{"role", "reviewer"}}).error(), "grant_invalid");
  EXPECT_EQ(grant(admin, bob.user_id, {{"role", "org_seal_admin"}, {"org_id", org}}).error(),
            "grant_invalid");
  EXPECT_EQ(grant(admin, bob.user_id,
                  {{"role", "org_seal_admin"}, {"org_id", org}, {"region", "zhejiang"}})
                .error(),
            "org_region_invalid");
  Reply bound_admin = grant(admin, bob.user_id, {{"role", "system_admin"}, {"org_id", org}});
  EXPECT_EQ(bound_admin.status, 422u);
  EXPECT_EQ(bound_admin.error(), "grant_invalid");
  EXPECT_EQ(grant(admin, bob.user_id, {{"role", "boss"}}).error(), "role_invalid");
  EXPECT_EQ(grant(admin, bob.user_id, {{"role", "auditor"}, {"scope", "all"}}).error(),
            "unknown_field");
  Reply no_user = grant(admin, "u999999", {{"role", "auditor"}});
  EXPECT_EQ(no_user.status, 404u);
  EXPECT_EQ(no_user.error(), "user_not_found");
  EXPECT_EQ(grants_of(bob.user_id).size(), 2u);
  EXPECT_TRUE(grants_of("u999999").empty());
  EXPECT_EQ(audit_records(harness, {"", "role.grant", "", 0, 0}).size(), 2u);
}

TEST_F(AccountRoles, TheLastSystemAdminStays) {
  Reply alone = revoke(admin, admin.user_id, {{"role", "system_admin"}});
  EXPECT_EQ(alone.status, 409u);
  EXPECT_EQ(alone.error(), "last_system_admin");
  EXPECT_EQ(grants_of(admin.user_id), std::vector<Grant>{Grant::system_admin()});

  Account second = harness.make_user("Second");
  ASSERT_EQ(grant(admin, second.user_id, {{"role", "system_admin"}}).status, 200u);
  Reply stepped_down = revoke(second, admin.user_id, {{"role", "system_admin"}});
  EXPECT_EQ(stepped_down.status, 200u) << stepped_down.body;
  EXPECT_TRUE(grants_of(admin.user_id).empty());
}

}  // namespace
}  // namespace seald::api::testing
