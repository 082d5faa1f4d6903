// The caller's own profile: GET/PATCH /me and POST /me/mobile.

#include <gtest/gtest.h>

#include "tests/api/account_test_support.h"

namespace seald::api::testing {
namespace {

namespace json = boost::json;
using identity::CodePurpose;

class AccountMe : public ::testing::Test {
 protected:
  ApiHarness harness{account_org_audit_routes()};

  json::value me(const Account& account) {
    return harness.call("GET", "/api/v1/me", account.token).json();
  }

  std::string code_for(const std::string& mobile) {
    Reply sent = harness.call_json("POST", "/api/v1/auth/codes", "",
                                   json::object{{"mobile", mobile}, {"purpose", "change_mobile"}});
    EXPECT_EQ(sent.status, 202u);
    return harness.sender().last(mobile, CodePurpose::change_mobile);
  }
};

TEST_F(AccountMe, ShowsTheProfileAndEveryRole) {
  Account alice = harness.make_user(
      "Alice", {authz::Grant::reviewer("o1"), authz::Grant::org_seal_admin("330000", "o2")});
  Reply reply = harness.call("GET", "/api/v1/me", alice.token);
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto body = reply.json().as_object();
  EXPECT_EQ(text(body.at("id")), alice.user_id);
  EXPECT_EQ(text(body.at("name")), "Alice");
  EXPECT_EQ(text(body.at("mobile")), alice.mobile);
  EXPECT_NE(body.at("id_number").as_string().find("********"), std::string::npos);
  auto roles = body.at("roles").as_array();
  ASSERT_EQ(roles.size(), 2u);
  json::array expected{
      json::object{{"role", "reviewer"}, {"org_id", "o1"}, {"region", ""}},
      json::object{{"role", "org_seal_admin"}, {"org_id", "o2"}, {"region", "330000"}}};
  for (const auto& role : expected) {
    EXPECT_NE(std::find(roles.begin(), roles.end(), role), roles.end()) << json::serialize(role);
  }
  EXPECT_EQ(harness.call("GET", "/api/v1/me").error(), "unauthenticated");
  EXPECT_EQ(harness.call("GET", "/api/v1/me", "not-a-token").error(), "session_invalid");
}

TEST_F(AccountMe, RenameNeedsTheCurrentVersion) {
  Account alice = harness.make_user("Alice");
  Reply renamed = harness.call_json("PATCH", "/api/v1/me", alice.token,
                                    json::object{{"version", 1}, {"name", "Alice Liu"}});
  ASSERT_EQ(renamed.status, 200u) << renamed.body;
  EXPECT_EQ(text(renamed.json().at("name")), "Alice Liu");
  EXPECT_EQ(renamed.json().at("version"), 2);

  Reply stale = harness.call_json("PATCH", "/api/v1/me", alice.token,
                                  json::object{{"version", 1}, {"name", "Overwrite"}});
  EXPECT_EQ(stale.status, 409u);
  EXPECT_EQ(stale.error(), "user_version_conflict");
  Reply no_version =
      harness.call_json("PATCH", "/api/v1/me", alice.token, json::object{{"name", "X"}});
  EXPECT_EQ(no_version.status, 422u);
  EXPECT_EQ(no_version.error(), "field_missing");
  Reply bad_name = harness.call_json("PATCH", "/api/v1/me", alice.token,
                                     json::object{{"version", 2}, {"name", "a\nb"}});
  EXPECT_EQ(bad_name.status, 422u);
  EXPECT_EQ(bad_name.error(), "name_invalid");
  Reply no_token = harness.call_json("PATCH", "/api/v1/me", "",
                                     json::object{{"version", 2}, {"name", "Mallory"}});
  EXPECT_EQ(no_token.status, 401u);

  auto now = me(alice);
  EXPECT_EQ(text(now.at("name")), "Alice Liu");
  EXPECT_EQ(now.at("version"), 2);
  auto records = audit_records(harness, {"", "user.update", "user:" + alice.user_id, 0, 0});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].actor, "user:" + alice.user_id);
  EXPECT_EQ(detail(records[0], "name.before"), "Alice");
  EXPECT_EQ(detail(records[0], "name.after"), "Alice Liu");
}

TEST_F(AccountMe, MobileChangesWithACodeSentToTheNewNumber) {
  Account alice = harness.make_user("Alice");
  std::string new_mobile = mobile_number(700);
  std::string code = code_for(new_mobile);
  std::string wrong = code == "000000" ? "111111" : "000000";
  Reply bad =
      harness.call_json("POST", "/api/v1/me/mobile", alice.token,
                        json::object{{"version", 1}, {"mobile", new_mobile}, {"code", wrong}});
  EXPECT_EQ(bad.status, 422u);
  EXPECT_EQ(bad.error(), "code_invalid");
  EXPECT_EQ(text(me(alice).at("mobile")), alice.mobile);

  Reply changed =
      harness.call_json("POST", "/api/v1/me/mobile", alice.token,
                        json::object{{"version", 1}, {"mobile", new_mobile}, {"code", code}});
  ASSERT_EQ(changed.status, 200u) << changed.body;
  EXPECT_EQ(text(changed.json().at("mobile")), new_mobile);
  EXPECT_EQ(changed.body.find(code), std::string::npos);

  Reply by_new =
      harness.call_json("POST", "/api/v1/auth/login", "",
                        json::object{{"login", new_mobile}, {"password", alice.password}});
  EXPECT_EQ(by_new.status, 200u);
  Reply by_old =
      harness.call_json("POST", "/api/v1/auth/login", "",
                        json::object{{"login", alice.mobile}, {"password", alice.password}});
  EXPECT_EQ(by_old.error(), "invalid_credentials");
  auto records = audit_records(harness, {"", "user.mobile_change", "", 0, 0});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(detail(records[0], "mobile.after"), "139****0700");
}

TEST_F(AccountMe, MobileChangeRefusalsChangeNothing) {
  Account alice = harness.make_user("Alice");
  Account bob = harness.make_user("Bob");
  std::string code = code_for(bob.mobile);
  Reply taken =
      harness.call_json("POST", "/api/v1/me/mobile", alice.token,
                        json::object{{"version", 1}, {"mobile", bob.mobile}, {"code", code}});
  EXPECT_EQ(taken.status, 409u);
  EXPECT_EQ(taken.error(), "mobile_taken");

  std::string own_code = code_for(alice.mobile);
  Reply same =
      harness.call_json("POST", "/api/v1/me/mobile", alice.token,
                        json::object{{"version", 1}, {"mobile", alice.mobile}, {"code", own_code}});
  EXPECT_EQ(same.status, 422u);
  EXPECT_EQ(same.error(), "mobile_unchanged");

  std::string fresh = code_for(mobile_number(701));
  Reply stale = harness.call_json(
      "POST", "/api/v1/me/mobile", alice.token,
      json::object{{"version", 7}, {"mobile", mobile_number(701)}, {"code", fresh}});
  EXPECT_EQ(stale.status, 409u);
  EXPECT_EQ(stale.error(), "user_version_conflict");

  auto now = me(alice);
  EXPECT_EQ(text(now.at("mobile")), alice.mobile);
  EXPECT_EQ(now.at("version"), 1);
  EXPECT_TRUE(audit_records(harness, {"", "user.mobile_change", "", 0, 0}).empty());
}

}  // namespace
}  // namespace seald::api::testing
