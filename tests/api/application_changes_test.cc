#include <gtest/gtest.h>

#include "tests/api/application_test_support.h"

namespace seald::api::testing {
namespace {

class ApplicationChangesTest : public ApplicationApiTest {
 protected:
  ApplicationChangesTest()
      : alice_(harness_.make_user("Alice")),
        reviewer_(harness_.make_user("Rita", {authz::Grant::reviewer(city_.id)})) {}

  Reply act(const Account& who, const std::string& id, const std::string& action,
            boost::json::object body) {
    return harness_.call_json("POST", path(id, "/" + action), who.token, body);
  }
  boost::json::object ok(Reply r) {
    EXPECT_EQ(r.status, 200u) << r.body;
    auto json = r.json();
    return json.is_object() ? json.as_object() : boost::json::object{};
  }

  Account alice_;
  Account reviewer_;
};

TEST_F(ApplicationChangesTest, ReturnEditResubmitApprove) {
  auto app = file(alice_, new_seal_form("合同专用章"));
  std::string id = id_of(app);
  auto returned = ok(act(reviewer_, id, "return", {{"version", 1}, {"comment", "印章名称不规范"}}));
  EXPECT_EQ(returned.at("state").as_string(), "returned");
  EXPECT_EQ(returned.at("review_comment").as_string(), "印章名称不规范");

  auto form = new_seal_form("杭州市市场监督管理局合同专用章");
  form["version"] = returned.at("version");
  form.erase("kind");  // the kind may be left out: it cannot change
  Reply edited = harness_.call_json("PUT", path(id), alice_.token, form);
  auto edited_json = ok(edited);
  EXPECT_EQ(edited_json.at("state").as_string(), "returned");
  EXPECT_EQ(edited_json.at("form").as_object().at("seal_name").as_string(),
            "杭州市市场监督管理局合同专用章");

  auto resubmitted = ok(
      act(alice_, id, "resubmit", {{"version", edited_json.at("version")}, {"comment", "已修改"}}));
  EXPECT_EQ(resubmitted.at("state").as_string(), "pending_review");
  auto approved = ok(act(reviewer_, id, "approve", {{"version", resubmitted.at("version")}}));
  EXPECT_EQ(approved.at("state").as_string(), "pending_make");

  Reply history = harness_.call("GET", path(id, "/history"), alice_.token);
  auto items = history.json().as_object().at("items").as_array();
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[1].as_object().at("action").as_string(), "returned");
  EXPECT_EQ(items[1].as_object().at("actor_id").as_string(), reviewer_.user_id.c_str());
  EXPECT_EQ(items[4].as_object().at("action").as_string(), "approved");
  for (const char* action :
       {"application.return", "application.edit", "application.resubmit", "application.approve"}) {
    EXPECT_EQ(audited(action, "ok"), 1u) << action;
  }
  // The old name was released by the edit.
  file(harness_.make_user("Bob"), new_seal_form("合同专用章"));
}

TEST_F(ApplicationChangesTest, OnlyTheApprovingOrgsReviewersDecide) {
  auto app = file(alice_, new_seal_form("合同专用章"));
  std::string id = id_of(app);
  std::string before = snapshot(id);
  Account province_reviewer = harness_.make_user("Pat", {authz::Grant::reviewer(province_.id)});
  Account admin = harness_.make_user("Sam", {authz::Grant::system_admin()});
  Account op = harness_.make_user("Otto", {authz::Grant::operator_role()});
  for (const Account* who : {&province_reviewer, &admin, &op, &alice_}) {
    for (const char* action : {"return", "approve"}) {
      Reply r = act(*who, id, action, {{"version", 1}, {"comment", "x"}});
      EXPECT_EQ(r.status, 403u) << action << r.body;
      EXPECT_EQ(r.error(), "forbidden");
    }
  }
  EXPECT_EQ(audited("application.return", "forbidden"), 4u);
  EXPECT_EQ(audited("application.approve", "forbidden"), 4u);
  EXPECT_EQ(act(Account{}, id, "approve", {{"version", 1}}).status, 401u);

  Reply no_comment = act(reviewer_, id, "return", {{"version", 1}});
  EXPECT_EQ(no_comment.status, 422u);
  EXPECT_EQ(no_comment.error(), "field_missing");
  Reply no_version = act(reviewer_, id, "approve", {{"comment", "ok"}});
  EXPECT_EQ(no_version.error(), "field_missing");
  Reply stale = act(reviewer_, id, "approve", {{"version", 7}});
  EXPECT_EQ(stale.status, 409u);
  EXPECT_EQ(stale.error(), "application_version_conflict");
  Reply extra = act(reviewer_, id, "approve", {{"version", 1}, {"grade", "A"}});
  EXPECT_EQ(extra.error(), "unknown_field");
  Reply missing = act(reviewer_, "424242", "approve", {{"version", 1}});
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.error(), "application_not_found");
  EXPECT_EQ(snapshot(id), before);
}

TEST_F(ApplicationChangesTest, OnlyTheApplicantEditsResubmitsWithdrawsAndPays) {
  auto app = file(alice_, new_seal_form("合同专用章"));
  std::string id = id_of(app);
  auto returned = ok(act(reviewer_, id, "return", {{"version", 1}, {"comment", "补充材料"}}));
  std::string before = snapshot(id);
  Account bob = harness_.make_user("Bob");
  Account admin = harness_.make_user("Sam", {authz::Grant::system_admin()});
  for (const Account* who : {&bob, &reviewer_, &admin}) {
    for (const char* action : {"resubmit", "withdraw", "pay"}) {
      Reply r = act(*who, id, action, {{"version", returned.at("version")}});
      EXPECT_EQ(r.status, 403u) << action;
    }
    auto form = new_seal_form("别的章");
    form["version"] = returned.at("version");
    EXPECT_EQ(harness_.call_json("PUT", path(id), who->token, form).status, 403u);
  }
  EXPECT_EQ(audited("application.withdraw", "forbidden"), 3u);
  EXPECT_EQ(audited("application.edit", "forbidden"), 3u);
  EXPECT_EQ(snapshot(id), before);
}

TEST_F(ApplicationChangesTest, EditingKeepsTheKindAndNeedsAReturnedApplication) {
  auto app = file(alice_, new_seal_form("合同专用章"));
  std::string id = id_of(app);
  auto form = new_seal_form("新名字章");
  form["version"] = 1;
  Reply too_early = harness_.call_json("PUT", path(id), alice_.token, form);
  EXPECT_EQ(too_early.status, 409u);
  EXPECT_EQ(too_early.error(), "invalid_transition");

  auto returned = ok(act(reviewer_, id, "return", {{"version", 1}, {"comment", "改"}}));
  std::string before = snapshot(id);
  boost::json::object revoke{
      {"version", returned.at("version")}, {"kind", "revoke"},  {"org_id", bureau_.id},
      {"approving_org_id", city_.id},      {"seal_code", "S1"}, {"reason", "r"}};
  Reply kind_change = harness_.call_json("PUT", path(id), alice_.token, revoke);
  EXPECT_EQ(kind_change.status, 422u);
  EXPECT_EQ(kind_change.error(), "field_invalid");
  auto bad_org = new_seal_form("新名字章");
  bad_org["version"] = returned.at("version");
  bad_org["org_id"] = "999";
  Reply unknown = harness_.call_json("PUT", path(id), alice_.token, bad_org);
  EXPECT_EQ(unknown.status, 422u);
  EXPECT_EQ(unknown.error(), "org_not_found");
  EXPECT_EQ(snapshot(id), before);
}

TEST_F(ApplicationChangesTest, SelfPaidSealsArePaidBeforeApproval) {
  auto app = file(alice_, new_seal_form("合同专用章", "self"));
  std::string id = id_of(app);
  Reply unpaid = act(reviewer_, id, "approve", {{"version", 1}});
  EXPECT_EQ(unpaid.status, 409u);
  EXPECT_EQ(unpaid.error(), "payment_required");
  auto paid = ok(act(alice_, id, "pay", {{"version", 1}}));
  EXPECT_EQ(paid.at("payment_status").as_string(), "paid");
  EXPECT_EQ(paid.at("state").as_string(), "pending_review");
  Reply again = act(alice_, id, "pay", {{"version", paid.at("version")}});
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(again.error(), "already_paid");
  Reply with_comment = act(alice_, id, "pay", {{"version", paid.at("version")}, {"comment", "x"}});
  EXPECT_EQ(with_comment.error(), "unknown_field");
  auto approved = ok(act(reviewer_, id, "approve", {{"version", paid.at("version")}}));
  EXPECT_EQ(approved.at("state").as_string(), "pending_make");
  EXPECT_EQ(audited("application.pay", "ok"), 1u);
}

TEST_F(ApplicationChangesTest, WithdrawingFreesTheSealName) {
  auto app = file(alice_, new_seal_form("合同专用章"));
  std::string id = id_of(app);
  auto withdrawn = ok(act(alice_, id, "withdraw", {{"version", 1}, {"comment", "不需要了"}}));
  EXPECT_EQ(withdrawn.at("state").as_string(), "withdrawn");
  Reply again = act(alice_, id, "withdraw", {{"version", withdrawn.at("version")}});
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(again.error(), "invalid_transition");
  Reply approve = act(reviewer_, id, "approve", {{"version", withdrawn.at("version")}});
  EXPECT_EQ(approve.error(), "invalid_transition");
  file(alice_, new_seal_form("合同专用章"));
}

}  // namespace
}  // namespace seald::api::testing
