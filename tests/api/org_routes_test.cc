// The org tree through /api/v1/orgs.

#include <gtest/gtest.h>

#include "tests/api/account_test_support.h"

namespace seald::api::testing {
namespace {

namespace json = boost::json;
using authz::Grant;

class OrgRoutes : public ::testing::Test {
 protected:
  ApiHarness harness{account_org_audit_routes()};
  Account admin = harness.make_user("Admin", {Grant::system_admin()});
  Account user = harness.make_user("Applicant");

  Reply create(const Account& caller, json::object body) {
    return harness.call_json("POST", "/api/v1/orgs", caller.token, body);
  }
  std::string create_ok(unsigned n, const std::string& parent = "") {
    json::object body{{"name", "Org " + std::to_string(n)},
                      {"credit_code", credit_code(n)},
                      {"region", "330100"}};
    if (!parent.empty()) {
      body["parent_id"] = parent;
    }
    Reply reply = create(admin, body);
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return text(reply.json().at("id"));
  }
  std::vector<std::string> names(const Reply& page) {
    std::vector<std::string> out;
    json::value body = page.json();
    for (const auto& org : body.at("items").as_array()) {
      out.push_back(text(org.at("name")));
    }
    return out;
  }
};

TEST_F(OrgRoutes, AdminCreatesAndEveryUserReadsTheTree) {
  Reply created = create(
      admin, {{"name", "浙江省人民政府"}, {"credit_code", credit_code(1)}, {"region", "330000"}});
  ASSERT_EQ(created.status, 201u) << created.body;
  auto root = created.json().as_object();
  EXPECT_EQ(text(root.at("name")), "浙江省人民政府");
  EXPECT_EQ(text(root.at("credit_code")), credit_code(1));
  EXPECT_EQ(text(root.at("region")), "330000");
  EXPECT_TRUE(root.at("parent_id").is_null());
  EXPECT_EQ(root.at("version"), 1);
  std::string root_id = text(root.at("id"));
  std::string a = create_ok(2, root_id);
  std::string a1 = create_ok(3, a);
  create_ok(4, root_id);
  create_ok(5);

  Reply one = harness.call("GET", "/api/v1/orgs/" + a1, user.token);
  ASSERT_EQ(one.status, 200u);
  EXPECT_EQ(text(one.json().at("parent_id")), a);

  Reply roots = harness.call("GET", "/api/v1/orgs", user.token);
  ASSERT_EQ(roots.status, 200u);
  EXPECT_EQ(roots.json().at("total"), 2);
  EXPECT_EQ(names(roots), (std::vector<std::string>{"浙江省人民政府", "Org 5"}));

  Reply children = harness.call("GET", "/api/v1/orgs/" + root_id + "/children", user.token);
  EXPECT_EQ(names(children), (std::vector<std::string>{"Org 2", "Org 4"}));

  Reply subtree = harness.call("GET", "/api/v1/orgs/" + root_id + "/subtree", user.token);
  EXPECT_EQ(names(subtree),
            (std::vector<std::string>{"浙江省人民政府", "Org 2", "Org 3", "Org 4"}));
  Reply second_page =
      harness.call("GET", "/api/v1/orgs/" + root_id + "/subtree?offset=1&limit=2", user.token);
  EXPECT_EQ(names(second_page), (std::vector<std::string>{"Org 2", "Org 3"}));
  EXPECT_EQ(second_page.json().at("total"), 4);
  EXPECT_EQ(second_page.json().at("offset"), 1);
  EXPECT_EQ(second_page.json().at("limit"), 2);

  auto records = audit_records(harness, {"user:" + admin.user_id, "org.create", "", 0, 0});
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records.back().target, "org:" + root_id);
  EXPECT_EQ(detail(records.back(), "credit_code"), credit_code(1));
}

TEST_F(OrgRoutes, OnlySystemAdminsCreateAndRefusalsCreateNothing) {
  std::vector<Account> others{user, harness.make_user("Auditor", {Grant::auditor()}),
                              harness.make_user("Operator", {Grant::operator_role()}),
                              harness.make_user("Reviewer", {Grant::reviewer("o1")})};
  json::object body{{"name", "Org"}, {"credit_code", credit_code(9)}, {"region", "330100"}};
  for (const auto& caller : others) {
    Reply refused = create(caller, body);
    EXPECT_EQ(refused.status, 403u);
    EXPECT_EQ(refused.error(), "forbidden");
    auto records = audit_records(harness, {"user:" + caller.user_id, "org.create", "", 0, 0});
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].result, "forbidden");
  }
  Reply anonymous = create(Account{}, body);
  EXPECT_EQ(anonymous.status, 401u);
  EXPECT_EQ(harness.call("GET", "/api/v1/orgs", user.token).json().at("total"), 0);
  EXPECT_TRUE(audit_records(harness, {"", "org.create", "", 0, 0}).size() == others.size());
}

TEST_F(OrgRoutes, BadOrgsAreRefusedWithTheirCodes) {
  std::string root = create_ok(1);
  auto with = [](const char* field, json::value value) {
    json::object body{{"name", "Org"}, {"credit_code", credit_code(2)}, {"region", "330100"}};
    body[field] = std::move(value);
    return body;
  };
  std::string bad_check = credit_code(2);
  bad_check.back() = bad_check.back() == '0' ? '1' : '0';
  EXPECT_EQ(create(admin, with("credit_code", json::value(bad_check))).error(),
            "credit_code_invalid");
  Reply taken = create(admin, with("credit_code", json::value(credit_code(1))));
  EXPECT_EQ(taken.status, 409u);
  EXPECT_EQ(taken.error(), "credit_code_taken");
  EXPECT_EQ(create(admin, with("region", json::value("33"))).error(), "org_region_invalid");
  EXPECT_EQ(create(admin, with("name", json::value("   "))).error(), "org_name_invalid");
  Reply orphan = create(admin, with("parent_id", json::value("o-missing")));
  EXPECT_EQ(orphan.status, 404u);
  EXPECT_EQ(orphan.error(), "org_parent_not_found");
  EXPECT_EQ(create(admin, with("seal", json::value(1))).error(), "unknown_field");
  json::object no_region{{"name", "Org"}, {"credit_code", credit_code(2)}};
  EXPECT_EQ(create(admin, no_region).error(), "field_missing");
  Reply subtree = harness.call("GET", "/api/v1/orgs/" + root + "/subtree", user.token);
  EXPECT_EQ(subtree.json().at("total"), 1);
  EXPECT_EQ(harness.call("GET", "/api/v1/orgs", user.token).json().at("total"), 1);
}

TEST_F(OrgRoutes, ReadsNeedASessionAndAnExistingOrg) {
  std::string root = create_ok(1);
  for (std::string path :
       {"/api/v1/orgs/nope", "/api/v1/orgs/nope/children", "/api/v1/orgs/nope/subtree"}) {
    Reply missing = harness.call("GET", path, user.token);
    EXPECT_EQ(missing.status, 404u) << path;
    EXPECT_EQ(missing.error(), "org_not_found") << path;
  }
  for (const std::string& path : std::vector<std::string>{"/api/v1/orgs", "/api/v1/orgs/" + root,
                                                          "/api/v1/orgs/" + root + "/children",
                                                          "/api/v1/orgs/" + root + "/subtree"}) {
    EXPECT_EQ(harness.call("GET", path).status, 401u) << path;
  }
  EXPECT_EQ(harness.call("GET", "/api/v1/orgs?limit=0", user.token).error(), "paging_invalid");
}

}  // namespace
}  // namespace seald::api::testing
