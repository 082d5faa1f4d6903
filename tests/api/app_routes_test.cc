// Registered applications through /api/v1/apps: system admins register,
// search, disable, enable and rotate; the secret is shown once.

#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "tests/api/account_test_support.h"

namespace seald::api::testing {
namespace {

namespace json = boost::json;
using authz::Grant;

class AppRoutes : public ::testing::Test {
 protected:
  AppRoutes() {
    // Capture every log line, access log included, to look for secrets.
    log_sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
    spdlog::default_logger()->sinks().push_back(log_sink_);
    previous_level_ = spdlog::get_level();
    spdlog::set_level(spdlog::level::debug);
  }
  ~AppRoutes() override {
    auto& sinks = spdlog::default_logger()->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), log_sink_), sinks.end());
    spdlog::set_level(previous_level_);
  }

  static std::vector<ApiHarness::AddRoutes> routes() {
    return {add_account_routes, add_audit_routes, add_app_routes};
  }

  json::object new_app(const std::string& name = "Permit Portal") {
    return {{"name", name},
            {"competent_unit", "市数据资源管理局"},
            {"developer_unit", "Acme Software"},
            {"kind", "cloud"}};
  }
  // Registers through the API; returns {app, client_secret}.
  json::object register_ok(const json::object& body) {
    Reply reply = harness.call_json("POST", "/api/v1/apps", admin.token, body);
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.json().as_object();
  }
  Reply change(const Account& caller, const std::string& id, const std::string& what,
               std::int64_t version) {
    return harness.call_json("POST", "/api/v1/apps/" + id + "/" + what, caller.token,
                             json::object{{"version", version}});
  }
  std::vector<std::string> names(const Reply& page) {
    std::vector<std::string> out;
    json::value body = page.json();  // the range below must not outlive it
    for (const auto& app : body.at("items").as_array()) {
      out.push_back(text(app.at("name")));
    }
    return out;
  }
  // Everything the audit log holds, as text.
  std::string all_audit_text() {
    std::string out;
    for (const auto& r : audit_records(harness)) {
      out += r.actor + r.action + r.target + r.result;
      for (const auto& [n, v] : r.details) {
        out += n + v;
      }
    }
    return out;
  }

  std::ostringstream log_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> log_sink_;
  spdlog::level::level_enum previous_level_ = spdlog::level::info;
  ApiHarness harness{routes()};
  Account admin = harness.make_user("Admin", {Grant::system_admin()});
};

TEST_F(AppRoutes, AdminRegistersAndTheSecretIsShownOnce) {
  json::object made = register_ok(new_app());
  json::object app = made.at("app").as_object();
  std::string secret = text(made.at("client_secret"));
  EXPECT_EQ(secret.size(), 43u);
  EXPECT_EQ(text(app.at("name")), "Permit Portal");
  EXPECT_EQ(text(app.at("competent_unit")), "市数据资源管理局");
  EXPECT_EQ(text(app.at("developer_unit")), "Acme Software");
  EXPECT_EQ(text(app.at("kind")), "cloud");
  EXPECT_EQ(text(app.at("status")), "enabled");
  EXPECT_EQ(app.at("version"), 1);
  EXPECT_EQ(text(app.at("client_id")).rfind("app_", 0), 0u);
  std::string id = text(app.at("id"));

  Reply got = harness.call("GET", "/api/v1/apps/" + id, admin.token);
  ASSERT_EQ(got.status, 200u) << got.body;
  EXPECT_EQ(got.json().as_object(), app);  // the record, and no secret
  Reply list = harness.call("GET", "/api/v1/apps", admin.token);
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  EXPECT_EQ(got.body.find("secret"), std::string::npos);

  // The secret the answer showed is the one that works.
  EXPECT_TRUE(harness.services().apps.verify_secret(text(app.at("client_id")), Secret(secret)));

  auto records = audit_records(harness, {"user:" + admin.user_id, "app.register", "", 0, 0});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].target, "app:" + id);
  EXPECT_EQ(detail(records[0], "client_id"), text(app.at("client_id")));
  EXPECT_EQ(all_audit_text().find(secret), std::string::npos);
  EXPECT_NE(log_.str().find("route=app_register"), std::string::npos);  // the sink hears
  EXPECT_EQ(log_.str().find(secret), std::string::npos);
}

TEST_F(AppRoutes, BadRegistrationsAreRefusedAndRegisterNothing) {
  auto bad = new_app();
  bad["kind"] = "desktop";
  EXPECT_EQ(harness.call_json("POST", "/api/v1/apps", admin.token, bad).error(),
            "app_kind_invalid");
  bad = new_app();
  bad.erase("developer_unit");
  EXPECT_EQ(harness.call_json("POST", "/api/v1/apps", admin.token, bad).error(), "field_missing");
  bad = new_app();
  bad["client_secret"] = "mine";
  EXPECT_EQ(harness.call_json("POST", "/api/v1/apps", admin.token, bad).error(), "unknown_field");
  Reply list = harness.call("GET", "/api/v1/apps", admin.token);
  EXPECT_EQ(list.json().at("total"), 0);
}

TEST_F(AppRoutes, SearchByEachFieldWithPaging) {
  auto a = new_app("Tax Portal");
  a["developer_unit"] = "Beta Labs";
  auto b = new_app("Licence Desk");
  b["competent_unit"] = "税务局";
  b["developer_unit"] = "TAXONOMY Systems";
  b["kind"] = "ukey";
  auto c = new_app("Archive");
  register_ok(a);
  register_ok(b);
  register_ok(c);

  auto search = [&](const std::string& query) {
    return harness.call("GET", "/api/v1/apps?" + query, admin.token);
  };
  EXPECT_EQ(names(search("q=tax&field=name")), std::vector<std::string>{"Tax Portal"});
  EXPECT_EQ(names(search("q=%E7%A8%8E%E5%8A%A1&field=competent_unit")),  // 税务
            std::vector<std::string>{"Licence Desk"});
  EXPECT_EQ(names(search("q=TAX&field=developer_unit")), std::vector<std::string>{"Licence Desk"});
  EXPECT_EQ(names(search("q=Tax")), (std::vector<std::string>{"Tax Portal", "Licence Desk"}));
  Reply page = search("limit=2&offset=2");
  ASSERT_EQ(page.status, 200u) << page.body;
  EXPECT_EQ(page.json().at("total"), 3);
  EXPECT_EQ(names(page), std::vector<std::string>{"Archive"});
  EXPECT_EQ(search("q=x&field=colour").error(), "field_invalid");
  EXPECT_EQ(search("limit=1000").error(), "paging_invalid");
}

TEST_F(AppRoutes, DisableEnableAndRotateWithVersions) {
  json::object made = register_ok(new_app());
  std::string id = text(made.at("app").at("id"));
  std::string client_id = text(made.at("app").at("client_id"));
  std::string first_secret = text(made.at("client_secret"));

  Reply disabled = change(admin, id, "disable", 1);
  ASSERT_EQ(disabled.status, 200u) << disabled.body;
  EXPECT_EQ(text(disabled.json().at("status")), "disabled");
  EXPECT_EQ(disabled.json().at("version"), 2);
  EXPECT_EQ(change(admin, id, "enable", 1).status, 409u);  // stale version
  EXPECT_EQ(change(admin, id, "disable", 2).error(), "app_status_conflict");
  Reply enabled = change(admin, id, "enable", 2);
  ASSERT_EQ(enabled.status, 200u) << enabled.body;
  EXPECT_EQ(text(enabled.json().at("status")), "enabled");

  Reply rotated = change(admin, id, "rotate-secret", 3);
  ASSERT_EQ(rotated.status, 200u) << rotated.body;
  std::string second_secret = text(rotated.json().at("client_secret"));
  EXPECT_EQ(rotated.json().at("app").at("version"), 4);
  EXPECT_NE(second_secret, first_secret);
  auto& store = harness.services().apps;
  EXPECT_FALSE(store.verify_secret(client_id, Secret(first_secret)));
  EXPECT_TRUE(store.verify_secret(client_id, Secret(second_secret)));
  EXPECT_EQ(change(admin, id, "rotate-secret", 3).error(), "app_version_conflict");
  EXPECT_TRUE(
      store.verify_secret(client_id, Secret(second_secret)));  // the refusal changed nothing

  EXPECT_EQ(
      harness.call_json("POST", "/api/v1/apps/" + id + "/disable", admin.token, json::object{})
          .error(),
      "field_missing");
  EXPECT_EQ(change(admin, "0123456789abcdef0123456789abcdef", "disable", 1).status, 404u);
  EXPECT_EQ(harness.call("GET", "/api/v1/apps/nope", admin.token).status, 404u);

  for (const char* action : {"app.disable", "app.enable", "app.rotate_secret"}) {
    auto records = audit_records(harness, {"", action, "app:" + id, 0, 0});
    EXPECT_EQ(records.size(), 1u) << action;
  }
  std::string audited = all_audit_text();
  EXPECT_EQ(audited.find(first_secret), std::string::npos);
  EXPECT_EQ(audited.find(second_secret), std::string::npos);
  EXPECT_EQ(log_.str().find(second_secret), std::string::npos);
}

TEST_F(AppRoutes, RateLimitIsSetVersionCheckedAuditedAndCleared) {
  std::string id = text(register_ok(new_app()).at("app").at("id"));
  auto set = [&](json::object body) {
    return harness.call_json("POST", "/api/v1/apps/" + id + "/rate-limit", admin.token, body);
  };
  EXPECT_TRUE(
      harness.call("GET", "/api/v1/apps/" + id, admin.token).json().at("rate_limit").is_null());

  Reply limited = set({{"version", 1}, {"rate_per_s", 20}, {"burst", 40}});
  ASSERT_EQ(limited.status, 200u) << limited.body;
  EXPECT_EQ(limited.json().at("rate_limit"), (json::object{{"rate_per_s", 20}, {"burst", 40}}));
  EXPECT_EQ(limited.json().at("version"), 2);
  EXPECT_EQ(harness.call("GET", "/api/v1/apps/" + id, admin.token).json().at("rate_limit"),
            limited.json().at("rate_limit"));

  // Refusals change nothing.
  EXPECT_EQ(set({{"version", 1}, {"rate_per_s", 5}, {"burst", 5}}).error(), "app_version_conflict");
  EXPECT_EQ(set({{"version", 2}, {"rate_per_s", 5}}).error(), "field_missing");
  EXPECT_EQ(set({{"rate_per_s", 5}, {"burst", 5}}).error(), "field_missing");
  Reply zero_burst = set({{"version", 2}, {"rate_per_s", 5}, {"burst", 0}});
  EXPECT_EQ(zero_burst.status, 422u);
  EXPECT_EQ(zero_burst.error(), "app_rate_limit_invalid");
  EXPECT_EQ(set({{"version", 2}, {"rate_per_s", -1}, {"burst", 5}}).error(),
            "app_rate_limit_invalid");
  EXPECT_EQ(set({{"version", 2}, {"rate_per_s", 5'000'000'000}, {"burst", 5}}).error(),
            "app_rate_limit_invalid");
  EXPECT_EQ(set({{"version", 2}, {"rate_per_s", "5"}, {"burst", 5}}).status, 422u);
  EXPECT_EQ(set({{"version", 2}, {"rate", 5}}).error(), "unknown_field");
  EXPECT_EQ(harness.call("GET", "/api/v1/apps/" + id, admin.token).json().at("version"), 2);

  // {version} alone goes back to the configured default.
  Reply cleared = set({{"version", 2}});
  ASSERT_EQ(cleared.status, 200u) << cleared.body;
  EXPECT_TRUE(cleared.json().at("rate_limit").is_null());

  auto records = audit_records(harness, {"", "app.set_rate_limit", "app:" + id, 0, 0});
  ASSERT_EQ(records.size(), 2u);
  std::map<std::string, std::string> first(records[0].details.begin(), records[0].details.end());
  std::map<std::string, std::string> second(records[1].details.begin(), records[1].details.end());
  // Newest first or oldest first, one says 20/40 and the other "default".
  std::set<std::string> rates{first["rate_per_s"], second["rate_per_s"]};
  EXPECT_EQ(rates, (std::set<std::string>{"20", "default"}));
  EXPECT_EQ(records[0].actor, "user:" + admin.user_id);
}

TEST_F(AppRoutes, OnlySystemAdminsMayActAndRefusalsAreAudited) {
  std::string id = text(register_ok(new_app()).at("app").at("id"));
  std::vector<Account> others = {
      harness.make_user("Nobody"),
      harness.make_user("Auditor", {Grant::auditor()}),
      harness.make_user("Operator", {Grant::operator_role()}),
      harness.make_user("Reviewer", {Grant::reviewer("org-1")}),
  };
  Account seal_admin = harness.make_user("Seal admin", {Grant::org_seal_admin("330100", "org-1")});
  std::string before = harness.call("GET", "/api/v1/apps/" + id, admin.token).body;
  for (const auto& caller : others) {
    EXPECT_EQ(harness.call_json("POST", "/api/v1/apps", caller.token, new_app()).status, 403u);
    EXPECT_EQ(harness.call("GET", "/api/v1/apps", caller.token).status, 403u);
    EXPECT_EQ(harness.call("GET", "/api/v1/apps/" + id, caller.token).status, 403u);
    for (const char* what : {"disable", "enable", "rotate-secret"}) {
      EXPECT_EQ(change(caller, id, what, 1).error(), "forbidden") << what;
    }
    auto refused = audit_records(harness, {"user:" + caller.user_id, "app.", "", 0, 0});
    EXPECT_EQ(refused.size(), 6u);
    for (const auto& r : refused) {
      EXPECT_EQ(r.result, "forbidden");
    }
  }
  // An org seal admin finds and reads apps to grant seals to them, and
  // changes nothing.
  EXPECT_EQ(harness.call("GET", "/api/v1/apps", seal_admin.token).status, 200u);
  EXPECT_EQ(harness.call("GET", "/api/v1/apps/" + id, seal_admin.token).body, before);
  EXPECT_EQ(harness.call_json("POST", "/api/v1/apps", seal_admin.token, new_app()).status, 403u);
  for (const char* what : {"disable", "enable", "rotate-secret"}) {
    EXPECT_EQ(change(seal_admin, id, what, 1).error(), "forbidden") << what;
  }
  EXPECT_EQ(harness.call_json("POST", "/api/v1/apps", "", new_app()).status, 401u);
  EXPECT_EQ(harness.call("GET", "/api/v1/apps").status, 401u);
  EXPECT_EQ(harness.call("GET", "/api/v1/apps/" + id).status, 401u);
  EXPECT_EQ(change(Account{}, id, "rotate-secret", 1).status, 401u);
  EXPECT_EQ(harness.call("GET", "/api/v1/apps/" + id, admin.token).body, before);
  EXPECT_EQ(harness.call("GET", "/api/v1/apps", admin.token).json().at("total"), 1);
}

}  // namespace
}  // namespace seald::api::testing
