// Every management endpoint called as every role — and as an org seal admin
// outside its scope, and anonymously — and exactly the allowed calls get
// past authorisation: the others answer 401 (no session) or 403, and change
// nothing. A role grants exactly its own powers.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>

#include "api/routes.h"
#include "api/workflow_effects.h"
#include "orgs/credit_code.h"
#include "tests/api/harness.h"

namespace seald::api::testing {
namespace {

namespace json = boost::json;

std::string credit_code(unsigned n) {
  std::string first17 = "91330100MA2" + std::to_string(200000 + n);
  return first17 + *orgs::credit_code_check_character(first17);
}

// A role, with the accounts the matrix calls as.
enum class Who {
  anonymous,
  applicant,  // a plain registered user; owns the applications below
  other_user,
  reviewer,        // reviewer for the approving org (the city)
  other_reviewer,  // reviewer for another org
  operator_,
  seal_admin,     // org seal admin whose scope covers the bureau
  outside_admin,  // org seal admin of another subtree
  auditor,
  system_admin,
};

const std::map<Who, const char*> kNames{
    {Who::anonymous, "anonymous"},
    {Who::applicant, "applicant"},
    {Who::other_user, "other_user"},
    {Who::reviewer, "reviewer"},
    {Who::other_reviewer, "other_reviewer"},
    {Who::operator_, "operator"},
    {Who::seal_admin, "seal_admin"},
    {Who::outside_admin, "outside_admin"},
    {Who::auditor, "auditor"},
    {Who::system_admin, "system_admin"},
};

const std::set<Who> kEveryUser{Who::applicant,      Who::other_user, Who::reviewer,
                               Who::other_reviewer, Who::operator_,  Who::seal_admin,
                               Who::outside_admin,  Who::auditor,    Who::system_admin};

class AuthorizationMatrix : public ::testing::Test {
 protected:
  AuthorizationMatrix()
      : harness({add_account_routes, add_org_routes, add_application_routes, add_audit_routes,
                 add_app_routes, add_seal_routes, add_seal_lifecycle_routes, add_grant_routes,
                 add_grant_list_routes}),
        effects(harness.services().roles, harness.services().orgs) {
    harness.effects().handler = [this](const workflow::Application& a) { return effects.apply(a); };
    auto& orgs = harness.services().orgs;
    province = orgs.create({"省政府", credit_code(1), "330000", ""})->id;
    city = orgs.create({"市政府", credit_code(2), "330100", province})->id;
    bureau = orgs.create({"市数据局", credit_code(3), "330100", city})->id;
    other = orgs.create({"另一省政府", credit_code(4), "320000", ""})->id;
    tokens[Who::anonymous] = "";
    auto make = [&](Who who, std::vector<authz::Grant> grants) {
      auto account = harness.make_user(kNames.at(who), grants);
      tokens[who] = account.token;
      ids[who] = account.user_id;
    };
    make(Who::applicant, {});
    make(Who::other_user, {});
    make(Who::reviewer, {authz::Grant::reviewer(city)});
    make(Who::other_reviewer, {authz::Grant::reviewer(other)});
    make(Who::operator_, {authz::Grant::operator_role()});
    make(Who::seal_admin, {authz::Grant::org_seal_admin("330100", city)});
    make(Who::outside_admin, {authz::Grant::org_seal_admin("320000", other)});
    make(Who::auditor, {authz::Grant::auditor()});
    make(Who::system_admin, {authz::Grant::system_admin()});
  }

  // A fresh `new` application by the applicant, approved by the city.
  json::object new_application(const std::string& payment_mode = "unified") {
    static int n = 0;
    json::object form{{"kind", "new"},
                      {"org_id", bureau},
                      {"approving_org_id", city},
                      {"seal_name", "矩阵测试章" + std::to_string(++n)},
                      {"seal_type", "contract"},
                      {"usage", "cloud"},
                      {"validity", "1y"},
                      {"payment_mode", payment_mode}};
    auto r = harness.call_json("POST", "/api/v1/applications", tokens[Who::applicant], form);
    EXPECT_EQ(r.status, 201u) << r.body;
    auto app = r.json().as_object();
    app["form_sent"] = form;
    return app;
  }

  json::object returned_application() {
    auto app = new_application();
    auto r = harness.call_json("POST", "/api/v1/applications/" + id_of(app) + "/return",
                               tokens[Who::reviewer],
                               {{"version", app.at("version")}, {"comment", "请修改"}});
    EXPECT_EQ(r.status, 200u) << r.body;
    return r.json().as_object();
  }

  static std::string id_of(const json::object& app) {
    return std::string(app.at("id").as_string());
  }

  // Calls as every role; asserts that exactly `allowed` get past
  // authorisation (a status other than 401/403) and the rest are refused
  // with 401 (anonymous) or 403. make_call builds a fresh call per role so
  // that one role's success cannot change what the next one sees.
  void expect_only(const std::string& what, const std::set<Who>& allowed,
                   const std::function<Reply(Who)>& make_call) {
    for (const auto& [who, name] : kNames) {
      Reply r = make_call(who);
      bool refused = r.status == 401 || r.status == 403;
      if (allowed.count(who)) {
        EXPECT_FALSE(refused) << what << " as " << name << " must be allowed: " << r.status << " "
                              << r.body;
        EXPECT_LT(r.status, 300u) << what << " as " << name << ": " << r.body;
      } else {
        EXPECT_TRUE(refused) << what << " as " << name << " must be refused: " << r.status << " "
                             << r.body;
        EXPECT_EQ(r.status, who == Who::anonymous ? 401u : 403u) << what << " as " << name;
      }
    }
  }

  ApiHarness harness;
  WorkflowEffects effects;
  std::string province, city, bureau, other;
  std::map<Who, std::string> tokens, ids;
};

TEST_F(AuthorizationMatrix, AccountsAndRoles) {
  expect_only("GET /me", kEveryUser,
              [&](Who w) { return harness.call("GET", "/api/v1/me", tokens[w]); });
  expect_only("PATCH /me", kEveryUser, [&](Who w) {
    Reply me = harness.call("GET", "/api/v1/me", tokens[w]);
    json::value version = me.status == 200 ? me.json().at("version") : json::value(1);
    return harness.call_json("PATCH", "/api/v1/me", tokens[w],
                             {{"version", version}, {"name", "改名"}});
  });
  expect_only("GET /users", {Who::system_admin},
              [&](Who w) { return harness.call("GET", "/api/v1/users", tokens[w]); });
  std::string target = ids[Who::other_user];
  expect_only("GET /users/{id}/roles", {Who::system_admin}, [&](Who w) {
    return harness.call("GET", "/api/v1/users/" + target + "/roles", tokens[w]);
  });
  expect_only("POST /users/{id}/roles", {Who::system_admin}, [&](Who w) {
    return harness.call_json("POST", "/api/v1/users/" + target + "/roles", tokens[w],
                             {{"role", "auditor"}});
  });
  expect_only("POST /users/{id}/roles/revoke", {Who::system_admin}, [&](Who w) {
    return harness.call_json("POST", "/api/v1/users/" + target + "/roles/revoke", tokens[w],
                             {{"role", "auditor"}});
  });
}

TEST_F(AuthorizationMatrix, Organisations) {
  unsigned n = 10;
  expect_only("POST /orgs", {Who::system_admin}, [&](Who w) {
    return harness.call_json("POST", "/api/v1/orgs", tokens[w],
                             {{"name", "新机构" + std::to_string(n)},
                              {"credit_code", credit_code(n++)},
                              {"region", "330100"},
                              {"parent_id", city}});
  });
  for (const std::string& path : std::vector<std::string>{"/api/v1/orgs", "/api/v1/orgs/" + city,
                                                          "/api/v1/orgs/" + city + "/children",
                                                          "/api/v1/orgs/" + city + "/subtree"}) {
    expect_only("GET " + path, kEveryUser,
                [&](Who w) { return harness.call("GET", path, tokens[w]); });
  }
}

TEST_F(AuthorizationMatrix, ApplicationsAndReview) {
  auto app = new_application();
  std::string id = id_of(app);
  const std::set<Who> viewers{Who::applicant, Who::reviewer, Who::operator_, Who::system_admin};
  for (const std::string suffix : {"", "/history", "/form.pdf"}) {
    expect_only("GET /applications/{id}" + suffix, viewers, [&](Who w) {
      return harness.call("GET", "/api/v1/applications/" + id + suffix, tokens[w]);
    });
  }
  expect_only("POST /applications", kEveryUser, [&](Who w) {
    static int k = 0;
    return harness.call_json("POST", "/api/v1/applications", tokens[w],
                             {{"kind", "new"},
                              {"org_id", bureau},
                              {"approving_org_id", city},
                              {"seal_name", "各角色申请章" + std::to_string(++k)},
                              {"seal_type", "business"},
                              {"usage", "ukey"},
                              {"validity", "2y"},
                              {"payment_mode", "unified"}});
  });
  expect_only("GET /applications (own)", kEveryUser,
              [&](Who w) { return harness.call("GET", "/api/v1/applications", tokens[w]); });
  for (const char* action : {"return", "approve"}) {
    expect_only(std::string("POST /applications/{id}/") + action, {Who::reviewer}, [&](Who w) {
      auto fresh = new_application();
      return harness.call_json("POST", "/api/v1/applications/" + id_of(fresh) + "/" + action,
                               tokens[w], {{"version", fresh.at("version")}, {"comment", "意见"}});
    });
  }
  expect_only("POST /applications/{id}/withdraw", {Who::applicant}, [&](Who w) {
    auto fresh = new_application();
    return harness.call_json("POST", "/api/v1/applications/" + id_of(fresh) + "/withdraw",
                             tokens[w], {{"version", fresh.at("version")}});
  });
  expect_only("POST /applications/{id}/pay", {Who::applicant}, [&](Who w) {
    auto fresh = new_application("self");
    return harness.call_json("POST", "/api/v1/applications/" + id_of(fresh) + "/pay", tokens[w],
                             {{"version", fresh.at("version")}});
  });
  expect_only("POST /applications/{id}/resubmit", {Who::applicant}, [&](Who w) {
    auto fresh = returned_application();
    return harness.call_json("POST", "/api/v1/applications/" + id_of(fresh) + "/resubmit",
                             tokens[w], {{"version", fresh.at("version")}});
  });
  expect_only("PUT /applications/{id}", {Who::applicant}, [&](Who w) {
    auto fresh = returned_application();
    json::object body = fresh.at("form").as_object();
    body["version"] = fresh.at("version");
    for (auto it = body.begin(); it != body.end();) {
      // Send only the fields a `new` form has, as the applicant would.
      if (it->value().is_string() && it->value().as_string().empty()) {
        it = body.erase(it);
      } else {
        ++it;
      }
    }
    return harness.call_json("PUT", "/api/v1/applications/" + id_of(fresh), tokens[w], body);
  });
  expect_only("GET /review-queue", {Who::reviewer}, [&](Who w) {
    return harness.call("GET", "/api/v1/review-queue?org_id=" + city, tokens[w]);
  });
  expect_only("GET /make-queue", {Who::operator_},
              [&](Who w) { return harness.call("GET", "/api/v1/make-queue", tokens[w]); });
}

TEST_F(AuthorizationMatrix, Uploads) {
  const std::string png(
      "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"
      "\0\0\0\0IEND\xae\x42\x60\x82",
      45);
  expect_only("POST /uploads", kEveryUser,
              [&](Who w) { return harness.call("POST", "/api/v1/uploads", tokens[w], png); });
  Reply mine = harness.call("POST", "/api/v1/uploads", tokens[Who::applicant], png);
  ASSERT_EQ(mine.status, 201u) << mine.body;
  std::string id(mine.json().at("id").as_string());
  expect_only(
      "GET /uploads/{id}",
      {Who::applicant, Who::reviewer, Who::other_reviewer, Who::operator_, Who::system_admin},
      [&](Who w) { return harness.call("GET", "/api/v1/uploads/" + id, tokens[w]); });
}

TEST_F(AuthorizationMatrix, Audit) {
  for (const char* path : {"/api/v1/audit", "/api/v1/audit/verify"}) {
    expect_only(std::string("GET ") + path, {Who::auditor},
                [&](Who w) { return harness.call("GET", path, tokens[w]); });
  }
}

TEST_F(AuthorizationMatrix, RegisteredApps) {
  expect_only("POST /apps", {Who::system_admin}, [&](Who w) {
    return harness.call_json("POST", "/api/v1/apps", tokens[w],
                             {{"name", std::string("应用-") + kNames.at(w)},
                              {"competent_unit", "市数据局"},
                              {"developer_unit", "某软件公司"},
                              {"kind", "cloud"}});
  });
  expect_only("GET /apps", {Who::system_admin, Who::seal_admin, Who::outside_admin},
              [&](Who w) { return harness.call("GET", "/api/v1/apps", tokens[w]); });
  Reply made = harness.call_json("POST", "/api/v1/apps", tokens[Who::system_admin],
                                 {{"name", "矩阵应用"},
                                  {"competent_unit", "市数据局"},
                                  {"developer_unit", "某软件公司"},
                                  {"kind", "cloud"}});
  ASSERT_EQ(made.status, 201u) << made.body;
  std::string id(made.json().at("app").at("id").as_string());
  expect_only("GET /apps/{id}", {Who::system_admin, Who::seal_admin, Who::outside_admin},
              [&](Who w) { return harness.call("GET", "/api/v1/apps/" + id, tokens[w]); });
  // In this order: the admin's disable leaves the app disabled for enable.
  for (const char* action : {"disable", "enable", "rotate-secret"}) {
    expect_only(std::string("POST /apps/{id}/") + action, {Who::system_admin}, [&](Who w) {
      Reply now = harness.call("GET", "/api/v1/apps/" + id, tokens[Who::system_admin]);
      return harness.call_json("POST", "/api/v1/apps/" + id + "/" + action, tokens[w],
                               {{"version", now.json().at("version")}});
    });
  }
  expect_only("POST /apps/{id}/rate-limit", {Who::system_admin}, [&](Who w) {
    Reply now = harness.call("GET", "/api/v1/apps/" + id, tokens[Who::system_admin]);
    return harness.call_json(
        "POST", "/api/v1/apps/" + id + "/rate-limit", tokens[w],
        {{"version", now.json().at("version")}, {"rate_per_s", 50}, {"burst", 100}});
  });
}

TEST_F(AuthorizationMatrix, SealMakingAndSealLists) {
  expect_only("POST /applications/{id}/make", {Who::operator_}, [&](Who w) {
    auto fresh = new_application();
    Reply approved = harness.call_json("POST", "/api/v1/applications/" + id_of(fresh) + "/approve",
                                       tokens[Who::reviewer], {{"version", fresh.at("version")}});
    EXPECT_EQ(approved.status, 200u) << approved.body;
    return harness.call_json("POST", "/api/v1/applications/" + id_of(fresh) + "/make", tokens[w],
                             {{"version", approved.json().at("version")}});
  });
  expect_only("GET /me/seals", kEveryUser,
              [&](Who w) { return harness.call("GET", "/api/v1/me/seals", tokens[w]); });
  expect_only("GET /managed-seals (in scope)", {Who::seal_admin}, [&](Who w) {
    return harness.call("GET", "/api/v1/managed-seals?org_id=" + bureau, tokens[w]);
  });
}

// Seal lifecycle and grants. The seals live in an org of a region no other
// test here uses (seal codes are key ids on the process's token).
class LifecycleAndGrantMatrix : public AuthorizationMatrix {
 protected:
  LifecycleAndGrantMatrix() {
    // Each test's seals are key ids on the process's one token: a region
    // of its own keeps their codes apart.
    static int next_region = 330200;
    district = harness.services()
                   .orgs.create({"市交通局", credit_code(5), std::to_string(next_region++), city})
                   ->id;
  }

  // A fresh cloud seal of the applicant's in the district: {code, version}.
  std::pair<std::string, json::value> fresh_seal() {
    static int n = 0;
    json::object form{{"kind", "new"},
                      {"org_id", district},
                      {"approving_org_id", city},
                      {"seal_name", "矩阵生命周期章" + std::to_string(++n)},
                      {"seal_type", "contract"},
                      {"usage", "cloud"},
                      {"validity", "1y"},
                      {"payment_mode", "unified"}};
    auto app = harness.call_json("POST", "/api/v1/applications", tokens[Who::applicant], form);
    EXPECT_EQ(app.status, 201u) << app.body;
    std::string id(app.json().at("id").as_string());
    auto approved =
        harness.call_json("POST", "/api/v1/applications/" + id + "/approve", tokens[Who::reviewer],
                          {{"version", app.json().at("version")}});
    auto made =
        harness.call_json("POST", "/api/v1/applications/" + id + "/make", tokens[Who::operator_],
                          {{"version", approved.json().at("version")}});
    EXPECT_EQ(made.status, 201u) << made.body;
    return {std::string(made.json().at("code").as_string()), made.json().at("version")};
  }

  std::string cloud_app(const std::string& name) {
    Reply r = harness.call_json("POST", "/api/v1/apps", tokens[Who::system_admin],
                                {{"name", name},
                                 {"competent_unit", "市交通局"},
                                 {"developer_unit", "某软件公司"},
                                 {"kind", "cloud"}});
    EXPECT_EQ(r.status, 201u) << r.body;
    return std::string(r.json().at("app").at("id").as_string());
  }

  std::string district;
};

TEST_F(LifecycleAndGrantMatrix, SealLifecycle) {
  expect_only("POST /applications/{id}/execute", {Who::operator_}, [&](Who w) {
    auto [code, version] = fresh_seal();
    auto filed = harness.call_json("POST", "/api/v1/applications", tokens[Who::applicant],
                                   {{"kind", "report_loss"},
                                    {"org_id", district},
                                    {"approving_org_id", city},
                                    {"seal_code", code},
                                    {"reason", "遗失"}});
    EXPECT_EQ(filed.status, 201u) << filed.body;
    std::string id(filed.json().at("id").as_string());
    auto approved =
        harness.call_json("POST", "/api/v1/applications/" + id + "/approve", tokens[Who::reviewer],
                          {{"version", filed.json().at("version")}});
    return harness.call_json("POST", "/api/v1/applications/" + id + "/execute", tokens[w],
                             {{"version", approved.json().at("version")}});
  });
  for (const char* action : {"report-loss", "restore", "reissue", "revoke"}) {
    expect_only(std::string("POST /seals/{code}/") + action, {Who::system_admin}, [&](Who w) {
      auto [code, version] = fresh_seal();
      std::string path = "/api/v1/seals/" + code + "/";
      if (std::string(action) == "restore") {
        auto lost = harness.call_json("POST", path + "report-loss", tokens[Who::system_admin],
                                      {{"version", version}, {"reason", "遗失"}});
        EXPECT_EQ(lost.status, 200u) << lost.body;
        version = lost.json().at("version");
      }
      return harness.call_json("POST", path + action, tokens[w],
                               {{"version", version}, {"reason", "矩阵"}});
    });
  }
}

TEST_F(LifecycleAndGrantMatrix, GrantsStayInsideTheAdminsScope) {
  auto [code, version] = fresh_seal();
  std::string app = cloud_app("矩阵授权应用");
  std::string other_app = cloud_app("矩阵同步应用");
  std::string grant_path = "/api/v1/apps/" + app + "/grants";
  // outside_admin is an org seal admin, but of another subtree: refused.
  expect_only("PUT /apps/{id}/grants/{code}", {Who::seal_admin},
              [&](Who w) { return harness.call("PUT", grant_path + "/" + code, tokens[w]); });
  expect_only("DELETE /apps/{id}/grants/{code}", {Who::seal_admin},
              [&](Who w) { return harness.call("DELETE", grant_path + "/" + code, tokens[w]); });
  expect_only("POST /apps/{id}/grants (batch)", {Who::seal_admin}, [&](Who w) {
    return harness.call_json("POST", grant_path, tokens[w], {{"seal_codes", json::array{code}}});
  });
  expect_only("POST /apps/{id}/grants/remove (batch)", {Who::seal_admin}, [&](Who w) {
    return harness.call_json("POST", grant_path + "/remove", tokens[w],
                             {{"seal_codes", json::array{code}}});
  });
  expect_only("POST /apps/{id}/grants (all under an org)", {Who::seal_admin}, [&](Who w) {
    return harness.call_json("POST", grant_path, tokens[w], {{"all", true}, {"org_id", district}});
  });
  expect_only("POST /apps/{id}/grants/remove (all under an org)", {Who::seal_admin}, [&](Who w) {
    return harness.call_json("POST", grant_path + "/remove", tokens[w],
                             {{"all", true}, {"org_id", district}});
  });
  expect_only("POST /grants/sync", {Who::seal_admin}, [&](Who w) {
    return harness.call_json(
        "POST", "/api/v1/grants/sync", tokens[w],
        {{"seal_codes", json::array{code}}, {"app_ids", json::array{other_app}}});
  });
  expect_only("GET /apps/{id}/seals (under an org in scope)", {Who::seal_admin}, [&](Who w) {
    return harness.call("GET", "/api/v1/apps/" + app + "/seals?org_id=" + district, tokens[w]);
  });
  expect_only("GET /managed-apps (under an org in scope)", {Who::seal_admin}, [&](Who w) {
    return harness.call("GET", "/api/v1/managed-apps?org_id=" + district, tokens[w]);
  });
  expect_only("GET /managed-apps", {Who::seal_admin, Who::outside_admin},
              [&](Who w) { return harness.call("GET", "/api/v1/managed-apps", tokens[w]); });
  expect_only("GET /seals/{code}/apps",
              {Who::applicant, Who::operator_, Who::seal_admin, Who::system_admin}, [&](Who w) {
                return harness.call("GET", "/api/v1/seals/" + code + "/apps", tokens[w]);
              });
  // The outside admin sees none of this subtree's grants in its own lists.
  Reply theirs = harness.call("GET", "/api/v1/managed-apps", tokens[Who::outside_admin]);
  ASSERT_EQ(theirs.status, 200u);
  EXPECT_EQ(theirs.json().at("total").as_int64(), 0) << theirs.body;
  Reply seals =
      harness.call("GET", "/api/v1/apps/" + other_app + "/seals", tokens[Who::outside_admin]);
  ASSERT_EQ(seals.status, 200u);
  EXPECT_EQ(seals.json().at("total").as_int64(), 0) << seals.body;
}

TEST_F(AuthorizationMatrix, RefusedCallsChangeNothing) {
  auto app = new_application();
  std::string before = harness.redis().cli({"HGETALL", "seald:wf:app:" + id_of(app)});
  for (Who w : {Who::other_user, Who::other_reviewer, Who::seal_admin, Who::auditor,
                Who::system_admin, Who::operator_}) {
    auto r = harness.call_json("POST", "/api/v1/applications/" + id_of(app) + "/approve", tokens[w],
                               {{"version", app.at("version")}});
    EXPECT_EQ(r.status, 403u) << kNames.at(w);
  }
  EXPECT_EQ(harness.redis().cli({"HGETALL", "seald:wf:app:" + id_of(app)}), before);
  auto audit = harness.services().audit.list(audit::Filter{}, "", 100);
  ASSERT_TRUE(audit);
  int refusals = 0;
  for (const auto& record : audit->records) {
    refusals += record.result == "forbidden" ? 1 : 0;
  }
  EXPECT_GE(refusals, 6) << "every refused attempt by a logged-in caller is audited";
}

}  // namespace
}  // namespace seald::api::testing
