// Codes, registration, login and logout through /api/v1.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/api/account_test_support.h"

namespace seald::api::testing {
namespace {

namespace json = boost::json;
using identity::CodePurpose;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class AccountAuth : public ::testing::Test {
 protected:
  ApiHarness harness{account_org_audit_routes()};

  Reply send_code(const std::string& mobile, const std::string& purpose = "register") {
    return harness.call_json("POST", "/api/v1/auth/codes", "",
                             json::object{{"mobile", mobile}, {"purpose", purpose}});
  }

  json::object registration(unsigned n, const std::string& code) {
    return {{"name", "张三"},
            {"id_number", resident_id(n)},
            {"mobile", mobile_number(n)},
            {"password", "Str0ng-pass"},
            {"code", code}};
  }

  Reply register_user(unsigned n) {
    EXPECT_EQ(send_code(mobile_number(n)).status, 202u);
    return harness.call_json(
        "POST", "/api/v1/users", "",
        registration(n, harness.sender().last(mobile_number(n), CodePurpose::register_account)));
  }

  Reply login(const std::string& login, const std::string& password) {
    return harness.call_json("POST", "/api/v1/auth/login", "",
                             json::object{{"login", login}, {"password", password}});
  }
};

TEST_F(AccountAuth, CodeAnswerIsTheSameForRegisteredAndUnknownNumbers) {
  Account known = harness.make_user("Known");
  // make_user sent a code to this number; let the (1 ms) resend throttle pass.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Reply for_known = send_code(known.mobile);
  Reply for_unknown = send_code(mobile_number(600));
  EXPECT_EQ(for_known.status, 202u);
  EXPECT_EQ(for_unknown.status, 202u);
  EXPECT_EQ(for_known.body, for_unknown.body);
  EXPECT_EQ(for_known.json().at("sent"), true);
  EXPECT_FALSE(harness.sender().last(mobile_number(600), CodePurpose::register_account).empty());
  // The audit trail keeps only the masked number.
  auto records = audit_records(harness, {"", "auth.code_send", "", 0, 0});
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].target, "mobile:139****0600");
}

TEST_F(AccountAuth, CodeRequestWithBadInputSendsNothing) {
  EXPECT_EQ(send_code("12345").error(), "mobile_invalid");
  Reply bad_purpose = send_code(mobile_number(601), "reset_password");
  EXPECT_EQ(bad_purpose.status, 422u);
  EXPECT_EQ(bad_purpose.error(), "field_invalid");
  Reply extra = harness.call_json(
      "POST", "/api/v1/auth/codes", "",
      json::object{{"mobile", mobile_number(601)}, {"purpose", "register"}, {"x", 1}});
  EXPECT_EQ(extra.status, 422u);
  EXPECT_EQ(extra.error(), "unknown_field");
  EXPECT_TRUE(harness.sender().last(mobile_number(601), CodePurpose::register_account).empty());
  EXPECT_TRUE(audit_records(harness).empty());
}

TEST_F(AccountAuth, RegisteredUserLogsInByMobileOrIdNumber) {
  Reply created = register_user(602);
  ASSERT_EQ(created.status, 201u) << created.body;
  auto user = created.json().as_object();
  EXPECT_EQ(text(user.at("name")), "张三");
  EXPECT_EQ(text(user.at("mobile")), mobile_number(602));
  std::string id = resident_id(602);
  EXPECT_EQ(text(user.at("id_number")), id.substr(0, 6) + "********" + id.substr(14));
  EXPECT_EQ(created.body.find(id), std::string::npos);
  EXPECT_EQ(created.body.find("Str0ng-pass"), std::string::npos);
  EXPECT_FALSE(user.contains("password"));
  EXPECT_FALSE(user.contains("password_hash"));
  EXPECT_EQ(user.at("version"), 1);

  Reply by_mobile = login(mobile_number(602), "Str0ng-pass");
  ASSERT_EQ(by_mobile.status, 200u) << by_mobile.body;
  auto session = by_mobile.json().as_object();
  EXPECT_GT(session.at("expires_at_ms").as_int64(), now_ms());
  EXPECT_EQ(text(session.at("user").at("id")), text(user.at("id")));
  EXPECT_EQ(by_mobile.body.find(id), std::string::npos);
  std::string token(session.at("token").as_string());
  Reply me = harness.call("GET", "/api/v1/me", token);
  EXPECT_EQ(me.status, 200u);
  EXPECT_EQ(text(me.json().at("id")), text(user.at("id")));

  EXPECT_EQ(login(resident_id(602), "Str0ng-pass").status, 200u);
  std::string user_id(user.at("id").as_string());
  EXPECT_EQ(audit_records(harness, {"", "user.register", "user:" + user_id, 0, 0}).size(), 1u);
  auto logins = audit_records(harness, {"user:" + user_id, "auth.login", "", 0, 0});
  EXPECT_EQ(logins.size(), 2u);
  for (const auto& record : audit_records(harness)) {
    for (const auto& [name, value] : record.details) {
      EXPECT_EQ(value.find("Str0ng-pass"), std::string::npos) << name;
      EXPECT_EQ(value.find(id), std::string::npos) << name;
    }
  }
}

TEST_F(AccountAuth, RefusedRegistrationsCreateNoUser) {
  EXPECT_EQ(send_code(mobile_number(603)).status, 202u);
  std::string code = harness.sender().last(mobile_number(603), CodePurpose::register_account);
  std::string wrong = code == "000000" ? "111111" : "000000";
  Reply bad_code = harness.call_json("POST", "/api/v1/users", "", registration(603, wrong));
  EXPECT_EQ(bad_code.status, 422u);
  EXPECT_EQ(bad_code.error(), "code_invalid");

  auto weak = registration(603, code);
  weak["password"] = "password";
  Reply weak_reply = harness.call_json("POST", "/api/v1/users", "", weak);
  EXPECT_EQ(weak_reply.status, 422u);
  EXPECT_EQ(weak_reply.error(), "password_weak");
  EXPECT_EQ(weak_reply.body.find("\"password\""), std::string::npos);

  auto missing = registration(603, code);
  missing.erase("name");
  EXPECT_EQ(harness.call_json("POST", "/api/v1/users", "", missing).error(), "field_missing");

  auto bad_id = registration(603, code);
  bad_id["id_number"] = "110101198013011234";
  EXPECT_EQ(harness.call_json("POST", "/api/v1/users", "", bad_id).error(), "id_number_invalid");

  EXPECT_EQ(login(mobile_number(603), "Str0ng-pass").error(), "invalid_credentials");
  EXPECT_EQ(harness.services().identity.users().list(0, 100)->total, 0u);

  // The code is still good after the refusals: they consumed nothing.
  Reply ok = harness.call_json("POST", "/api/v1/users", "", registration(603, code));
  EXPECT_EQ(ok.status, 201u) << ok.body;
}

TEST_F(AccountAuth, TakenMobileOrIdNumberIsAConflict) {
  ASSERT_EQ(register_user(604).status, 201u);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the resend throttle
  Reply again = register_user(604);
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(again.error(), "mobile_taken");
  EXPECT_EQ(harness.services().identity.users().list(0, 100)->total, 1u);
}

TEST_F(AccountAuth, WrongPasswordsAreRefusedAlikeThenLockTheAccount) {
  Account alice = harness.make_user("Alice");
  Reply wrong = login(alice.mobile, "Wrong-pass1");
  Reply unknown = login(mobile_number(605), "Wrong-pass1");
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(wrong.error(), "invalid_credentials");
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(unknown.error(), "invalid_credentials");
  EXPECT_EQ(text(wrong.json().at("message")), text(unknown.json().at("message")));
  Reply last;
  for (int i = 0; i < 5; ++i) {
    last = login(alice.mobile, "Wrong-pass1");
  }
  EXPECT_EQ(last.status, 429u);
  EXPECT_EQ(last.error(), "account_locked");
  Reply locked = login(alice.mobile, alice.password);
  EXPECT_EQ(locked.status, 429u);
  EXPECT_EQ(locked.error(), "account_locked");
  EXPECT_FALSE(locked.json().as_object().contains("token"));
}

TEST_F(AccountAuth, LogoutEndsTheSession) {
  Account alice = harness.make_user("Alice");
  Reply no_token = harness.call("POST", "/api/v1/auth/logout");
  EXPECT_EQ(no_token.status, 401u);
  EXPECT_EQ(no_token.error(), "unauthenticated");
  Reply out = harness.call("POST", "/api/v1/auth/logout", alice.token);
  EXPECT_EQ(out.status, 204u);
  EXPECT_TRUE(out.body.empty());
  Reply me = harness.call("GET", "/api/v1/me", alice.token);
  EXPECT_EQ(me.status, 401u);
  EXPECT_EQ(me.error(), "session_invalid");
  EXPECT_EQ(harness.call("POST", "/api/v1/auth/logout", alice.token).error(), "session_invalid");
  EXPECT_EQ(audit_records(harness, {"user:" + alice.user_id, "auth.logout", "", 0, 0}).size(), 1u);
}

}  // namespace
}  // namespace seald::api::testing
