// The audit log through /api/v1/audit: auditors only.

#include <gtest/gtest.h>

#include "tests/api/account_test_support.h"

namespace seald::api::testing {
namespace {

namespace json = boost::json;
using authz::Grant;

class AuditRoutes : public ::testing::Test {
 protected:
  ApiHarness harness{account_org_audit_routes()};
  Account auditor = harness.make_user("Auditor", {Grant::auditor()});
  Account alice = harness.make_user("Alice");

  void rename(const Account& who, int version, const std::string& name) {
    Reply r = harness.call_json("PATCH", "/api/v1/me", who.token,
                                json::object{{"version", version}, {"name", name}});
    ASSERT_EQ(r.status, 200u) << r.body;
  }
};

TEST_F(AuditRoutes, AuditorPagesNewestFirstWithFilters) {
  for (int v = 1; v <= 5; ++v) {
    rename(alice, v, "Alice " + std::to_string(v));
  }
  Reply first = harness.call("GET", "/api/v1/audit?action=user.update&limit=2", auditor.token);
  ASSERT_EQ(first.status, 200u) << first.body;
  auto items = first.json().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(text(items[0].at("details").at("name.after")), "Alice 5");
  EXPECT_EQ(text(items[1].at("details").at("name.after")), "Alice 4");
  EXPECT_EQ(text(items[0].at("actor")), "user:" + alice.user_id);
  EXPECT_EQ(text(items[0].at("result")), "ok");
  EXPECT_EQ(text(items[0].at("prev_hash")), text(items[1].at("hash")));
  EXPECT_FALSE(text(items[0].at("request_id")).empty());

  std::vector<std::string> seen;
  std::string cursor = text(first.json().at("next_cursor"));
  while (true) {
    Reply next = harness.call("GET", "/api/v1/audit?action=user.update&limit=2&cursor=" + cursor,
                              auditor.token);
    ASSERT_EQ(next.status, 200u) << next.body;
    json::value body = next.json();
    for (const auto& item : body.at("items").as_array()) {
      seen.push_back(text(item.at("details").at("name.after")));
    }
    if (next.json().at("next_cursor").is_null()) {
      break;
    }
    cursor = text(next.json().at("next_cursor"));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"Alice 3", "Alice 2", "Alice 1"}));

  Reply by_target =
      harness.call("GET", "/api/v1/audit?target=user:" + auditor.user_id, auditor.token);
  EXPECT_TRUE(by_target.json().at("items").as_array().empty());
  Reply by_actor = harness.call(
      "GET", "/api/v1/audit?actor=user:" + alice.user_id + "&action=user.", auditor.token);
  EXPECT_EQ(by_actor.json().at("items").as_array().size(), 5u);
  EXPECT_EQ(harness.call("GET", "/api/v1/audit?cursor=x%0d", auditor.token).error(),
            "cursor_invalid");
  EXPECT_EQ(harness.call("GET", "/api/v1/audit?limit=101", auditor.token).error(),
            "paging_invalid");
}

TEST_F(AuditRoutes, OnlyAuditorsReadAndRefusalsAreRecorded) {
  std::vector<Account> others{alice, harness.make_user("Admin", {Grant::system_admin()}),
                              harness.make_user("Operator", {Grant::operator_role()})};
  for (const auto& caller : others) {
    EXPECT_EQ(harness.call("GET", "/api/v1/audit", caller.token).status, 403u);
    EXPECT_EQ(harness.call("GET", "/api/v1/audit/verify", caller.token).error(), "forbidden");
    auto refused = audit_records(harness, {"user:" + caller.user_id, "audit.", "", 0, 0});
    ASSERT_EQ(refused.size(), 2u);
    EXPECT_EQ(refused[0].result, "forbidden");
  }
  EXPECT_EQ(harness.call("GET", "/api/v1/audit").status, 401u);
  EXPECT_EQ(harness.call("GET", "/api/v1/audit/verify").status, 401u);
}

TEST_F(AuditRoutes, VerifyNamesTheFirstBrokenRecord) {
  for (int v = 1; v <= 3; ++v) {
    rename(alice, v, "Alice " + std::to_string(v));
  }
  Reply intact = harness.call("GET", "/api/v1/audit/verify", auditor.token);
  ASSERT_EQ(intact.status, 200u) << intact.body;
  EXPECT_EQ(json::serialize(intact.json()),
            R"({"intact":true,"checked":3,"first_broken_id":null,"reason":null})");

  auto records = audit_records(harness);  // newest first
  ASSERT_EQ(records.size(), 3u);
  harness.redis().cli({"XDEL", audit::AuditLog::kStreamKey, records[1].id});
  Reply broken = harness.call("GET", "/api/v1/audit/verify", auditor.token);
  ASSERT_EQ(broken.status, 200u);
  EXPECT_EQ(broken.json().at("intact"), false);
  EXPECT_EQ(text(broken.json().at("first_broken_id")), records[0].id);
  EXPECT_FALSE(text(broken.json().at("reason")).empty());
}

TEST_F(AuditRoutes, AChangeThatCannotBeAuditedAnswers503) {
  harness.redis().cli({"DEL", audit::AuditLog::kStreamKey});
  harness.redis().cli({"SET", audit::AuditLog::kStreamKey, "not a stream"});
  Reply r = harness.call_json("PATCH", "/api/v1/me", alice.token,
                              json::object{{"version", 1}, {"name", "Alice 2"}});
  EXPECT_EQ(r.status, 503u);
  EXPECT_EQ(r.error(), "audit_unavailable");
}

}  // namespace
}  // namespace seald::api::testing
