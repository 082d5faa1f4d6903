// Seal grants through real HTTP, as the manual's admin screens use them:
// grant one seal, a list or all under an org; ungrant the same ways; sync
// to other apps; the lists of who holds what; UKey apps read-only; revoked
// seals keep no grants; every change and refusal audited.

#include <gtest/gtest.h>

#include <set>

#include "tests/api/seal_test_support.h"

namespace seald::api::testing {
namespace {

namespace json = boost::json;

std::set<std::string> strings(const json::value& array) {
  std::set<std::string> out;
  for (const auto& v : array.as_array()) {
    out.insert(std::string(v.as_string()));
  }
  return out;
}

std::set<std::string> ids_of(const json::value& items) {
  std::set<std::string> out;
  for (const auto& v : items.as_array()) {
    out.insert(std::string(v.at("id").as_string()));
  }
  return out;
}

std::set<std::string> codes_of(const json::value& items) {
  std::set<std::string> out;
  for (const auto& v : items.as_array()) {
    out.insert(std::string(v.at("code").as_string()));
  }
  return out;
}

class Grants : public SealApiTest {
 protected:
  Grants() {
    s1_ = made("数据局合同专用章", "cloud");
    s2_ = made("数据局财务专用章", "cloud");
    s3_ = made("市政府合同专用章", "cloud", city_.id);
    u1_ = made("数据局UKey章", "ukey");
    o1_ = made("宁波合同章", "cloud", other_.id);
    a_ = register_app("协同办公");
    b_ = register_app("电子证照");
    c_ = register_app("公文交换");
    ukey_app_ = register_app("UKey签章客户端", "ukey");
  }

  Reply put(const Account& who, const std::string& app, const std::string& code) {
    return harness_.call("PUT", "/api/v1/apps/" + app + "/grants/" + code, who.token);
  }
  Reply grant(const Account& who, const std::string& app, const json::object& body) {
    return harness_.call_json("POST", "/api/v1/apps/" + app + "/grants", who.token, body);
  }
  Reply ungrant(const Account& who, const std::string& app, const json::object& body) {
    return harness_.call_json("POST", "/api/v1/apps/" + app + "/grants/remove", who.token, body);
  }
  std::set<std::string> holders(const std::string& code) {
    Reply r = harness_.call("GET", "/api/v1/seals/" + code + "/apps", admin_.token);
    EXPECT_EQ(r.status, 200u) << r.body;
    return ids_of(r.json().at("items"));
  }
  std::set<std::string> seals_of(const std::string& app, const std::string& query = "") {
    Reply r = harness_.call("GET", "/api/v1/apps/" + app + "/seals" + query, city_admin_.token);
    EXPECT_EQ(r.status, 200u) << r.body;
    return codes_of(r.json().at("items"));
  }

  std::string s1_, s2_, s3_, u1_, o1_;
  std::string a_, b_, c_, ukey_app_;
};

TEST_F(Grants, SingleBatchAndAllUnderAnOrgThenUngrant) {
  Reply one = put(city_admin_, a_, s1_);
  ASSERT_EQ(one.status, 200u) << one.body;
  EXPECT_EQ(strings(one.json().at("changed")), std::set<std::string>{s1_});
  EXPECT_EQ(one.json().at("operation_id").as_string().size(), 32u);
  Reply repeat = put(city_admin_, a_, s1_);
  EXPECT_EQ(strings(repeat.json().at("unchanged")), std::set<std::string>{s1_});
  EXPECT_EQ(repeat.json().at("operation_id"), "");
  EXPECT_EQ(holders(s1_), std::set<std::string>{a_});
  auto shown = seal(s1_).at("apps").as_array();
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].at("name"), "协同办公");
  EXPECT_EQ(shown[0].at("kind"), "cloud");

  Reply batch = grant(city_admin_, a_, {{"seal_codes", json::array{s2_, s3_}}});
  ASSERT_EQ(batch.status, 200u) << batch.body;
  EXPECT_EQ(strings(batch.json().at("changed")), (std::set<std::string>{s2_, s3_}));
  EXPECT_EQ(seals_of(a_), (std::set<std::string>{s1_, s2_, s3_}));
  EXPECT_EQ(seals_of(a_, "?org_id=" + bureau_.id), (std::set<std::string>{s1_, s2_}));

  // "All" under the bureau: its cloud seals, not the UKey one nor the city's.
  Reply all = grant(city_admin_, b_, {{"all", true}, {"org_id", bureau_.id}});
  ASSERT_EQ(all.status, 200u) << all.body;
  EXPECT_EQ(strings(all.json().at("changed")), (std::set<std::string>{s1_, s2_}));
  EXPECT_EQ(holders(s1_), (std::set<std::string>{a_, b_}));

  Reply less = ungrant(city_admin_, a_, {{"seal_codes", json::array{s2_, s3_}}});
  ASSERT_EQ(less.status, 200u) << less.body;
  EXPECT_EQ(strings(less.json().at("changed")), (std::set<std::string>{s2_, s3_}));
  EXPECT_EQ(seals_of(a_), std::set<std::string>{s1_});
  Reply none = ungrant(city_admin_, b_, {{"all", true}});
  ASSERT_EQ(none.status, 200u) << none.body;
  EXPECT_EQ(strings(none.json().at("changed")), (std::set<std::string>{s1_, s2_}));
  EXPECT_TRUE(seals_of(b_).empty());
  Reply single =
      harness_.call("DELETE", "/api/v1/apps/" + a_ + "/grants/" + s1_, city_admin_.token);
  ASSERT_EQ(single.status, 200u) << single.body;
  EXPECT_TRUE(holders(s1_).empty());

  EXPECT_EQ(audited("grant.add", "ok"), 4u) << "the repeat is audited too";
  EXPECT_EQ(audited("grant.remove", "ok"), 3u);
}

TEST_F(Grants, RefusalsChangeNothing) {
  ASSERT_EQ(put(city_admin_, a_, s1_).status, 200u);
  std::string before = harness_.redis().cli({"--scan", "--pattern", "seald:grants:*"});
  Reply outside = grant(city_admin_, a_, {{"seal_codes", json::array{s2_, o1_}}});
  EXPECT_EQ(outside.status, 403u) << outside.body;
  EXPECT_EQ(put(other_admin_, a_, s2_).status, 403u);
  EXPECT_EQ(
      harness_.call("DELETE", "/api/v1/apps/" + a_ + "/grants/" + s1_, other_admin_.token).status,
      403u);
  EXPECT_EQ(grant(other_admin_, a_, {{"all", true}, {"org_id", bureau_.id}}).status, 403u);
  for (const Account* who : {&admin_, &operator_, &applicant_, &stranger_}) {
    EXPECT_EQ(put(*who, a_, s2_).status, 403u);
  }
  EXPECT_EQ(audited("grant.add", "forbidden"), 7u);
  EXPECT_EQ(audited("grant.remove", "forbidden"), 1u);

  Reply ukey_seal = grant(city_admin_, a_, {{"seal_codes", json::array{s2_, u1_}}});
  EXPECT_EQ(ukey_seal.status, 409u);
  EXPECT_EQ(ukey_seal.error(), "seal_not_cloud");
  Reply ukey_app = put(city_admin_, ukey_app_, s2_);
  EXPECT_EQ(ukey_app.status, 409u);
  EXPECT_EQ(ukey_app.error(), "app_read_only");
  Reply missing = grant(city_admin_, a_, {{"seal_codes", json::array{s2_, "1200002026999999"}}});
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(put(city_admin_, "0123456789abcdef0123456789abcdef", s2_).error(), "app_not_found");
  EXPECT_EQ(grant(city_admin_, a_, {{"seal_codes", json::array{s2_}}, {"all", true}}).status, 422u);
  EXPECT_EQ(grant(city_admin_, a_, json::object{}).status, 422u);
  EXPECT_EQ(grant(city_admin_, a_, {{"seal_codes", json::array{}}}).status, 422u);
  EXPECT_EQ(grant(city_admin_, a_, {{"seal_codes", json::array{s2_}}, {"org_id", city_.id}}).status,
            422u);
  EXPECT_EQ(harness_.call("PUT", "/api/v1/apps/" + a_ + "/grants/" + s2_).status, 401u);
  EXPECT_EQ(harness_.redis().cli({"--scan", "--pattern", "seald:grants:*"}), before);
  EXPECT_EQ(holders(s1_), std::set<std::string>{a_});
  EXPECT_TRUE(holders(s2_).empty());
}

TEST_F(Grants, SyncTheSealsOfOneOperationToOtherApps) {
  Reply first = grant(city_admin_, a_, {{"seal_codes", json::array{s1_, s3_}}});
  ASSERT_EQ(first.status, 200u) << first.body;
  json::value op = first.json().at("operation_id");

  Reply refused =
      harness_.call_json("POST", "/api/v1/grants/sync", city_admin_.token,
                         {{"operation_id", op}, {"app_ids", json::array{b_, ukey_app_}}});
  EXPECT_EQ(refused.status, 409u);
  EXPECT_EQ(refused.error(), "app_read_only");
  EXPECT_TRUE(seals_of(b_).empty()) << "all apps or none";

  Reply synced = harness_.call_json("POST", "/api/v1/grants/sync", city_admin_.token,
                                    {{"operation_id", op}, {"app_ids", json::array{b_, c_}}});
  ASSERT_EQ(synced.status, 200u) << synced.body;
  auto results = synced.json().at("results").as_array();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].at("app_id").as_string(), b_);
  EXPECT_EQ(strings(results[1].at("changed")), (std::set<std::string>{s1_, s3_}));
  EXPECT_EQ(holders(s3_), (std::set<std::string>{a_, b_, c_}));
  EXPECT_EQ(audited("grant.sync", "ok"), 2u);

  Reply by_list =
      harness_.call_json("POST", "/api/v1/grants/sync", city_admin_.token,
                         {{"seal_codes", json::array{s2_}}, {"app_ids", json::array{a_, c_}}});
  ASSERT_EQ(by_list.status, 200u) << by_list.body;
  EXPECT_EQ(holders(s2_), (std::set<std::string>{a_, c_}));

  Reply outside = harness_.call_json("POST", "/api/v1/grants/sync", other_admin_.token,
                                     {{"operation_id", op}, {"app_ids", json::array{c_}}});
  EXPECT_EQ(outside.status, 403u);
  Reply unknown = harness_.call_json(
      "POST", "/api/v1/grants/sync", city_admin_.token,
      {{"operation_id", "00000000000000000000000000000000"}, {"app_ids", json::array{c_}}});
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(unknown.error(), "grant_operation_not_found");
  EXPECT_EQ(
      harness_.call_json("POST", "/api/v1/grants/sync", city_admin_.token, {{"operation_id", op}})
          .error(),
      "field_missing");
}

TEST_F(Grants, TheAdminsListsShowAppsWithTheirKindAndUkeyAppsReadOnly) {
  ASSERT_EQ(grant(city_admin_, a_, {{"seal_codes", json::array{s1_, s2_}}}).status, 200u);
  ASSERT_EQ(put(city_admin_, b_, s3_).status, 200u);

  Reply apps = harness_.call("GET", "/api/v1/managed-apps", city_admin_.token);
  ASSERT_EQ(apps.status, 200u) << apps.body;
  EXPECT_EQ(ids_of(apps.json().at("items")), (std::set<std::string>{a_, b_, ukey_app_}));
  json::value listed = apps.json();
  for (const auto& item : listed.at("items").as_array()) {
    std::string id(item.at("id").as_string());
    EXPECT_EQ(item.at("read_only").as_bool(), id == ukey_app_) << id;
    EXPECT_EQ(item.at("kind"), id == ukey_app_ ? "ukey" : "cloud");
    EXPECT_EQ(item.at("seal_count").as_int64(), id == a_ ? 2 : 1) << id;
  }
  Reply bureau = harness_.call("GET", "/api/v1/managed-apps?kind=cloud&org_id=" + bureau_.id,
                               city_admin_.token);
  ASSERT_EQ(bureau.status, 200u) << bureau.body;
  EXPECT_EQ(ids_of(bureau.json().at("items")), std::set<std::string>{a_});
  EXPECT_EQ(harness_.call("GET", "/api/v1/managed-apps?kind=x", city_admin_.token).status, 422u);

  // A UKey app holds every UKey seal of the scope, read-only.
  Reply ukey = harness_.call("GET", "/api/v1/apps/" + ukey_app_ + "/seals", city_admin_.token);
  ASSERT_EQ(ukey.status, 200u) << ukey.body;
  EXPECT_EQ(codes_of(ukey.json().at("items")), std::set<std::string>{u1_});
  EXPECT_TRUE(ukey.json().at("app").at("read_only").as_bool());
  auto u1_apps = harness_.call("GET", "/api/v1/seals/" + u1_ + "/apps", applicant_.token);
  ASSERT_EQ(u1_apps.status, 200u) << u1_apps.body;
  EXPECT_EQ(ids_of(u1_apps.json().at("items")), std::set<std::string>{ukey_app_});

  // The managed seals list shows each seal's apps.
  Reply managed =
      harness_.call("GET", "/api/v1/managed-seals?org_id=" + bureau_.id, city_admin_.token);
  ASSERT_EQ(managed.status, 200u);
  json::value seals = managed.json();
  for (const auto& item : seals.at("items").as_array()) {
    std::string code(item.at("code").as_string());
    auto expected = code == u1_ ? std::set<std::string>{ukey_app_} : std::set<std::string>{a_};
    EXPECT_EQ(ids_of(item.at("apps")), expected) << code;
  }
  Reply paged = harness_.call("GET", "/api/v1/apps/" + a_ + "/seals?limit=1", city_admin_.token);
  EXPECT_EQ(paged.json().at("total").as_int64(), 2);
  EXPECT_EQ(paged.json().at("items").as_array().size(), 1u);
}

TEST_F(Grants, ARevokedSealKeepsNoGrantsAndCannotBeGranted) {
  ASSERT_EQ(put(city_admin_, a_, s1_).status, 200u);
  ASSERT_EQ(put(city_admin_, b_, s1_).status, 200u);
  Reply revoked = harness_.call_json("POST", "/api/v1/seals/" + s1_ + "/revoke", admin_.token,
                                     {{"version", seal(s1_).at("version")}, {"reason", "撤销"}});
  ASSERT_EQ(revoked.status, 200u) << revoked.body;
  EXPECT_TRUE(holders(s1_).empty());
  EXPECT_TRUE(seals_of(a_).empty());
  Reply again = put(city_admin_, a_, s1_);
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(again.error(), "seal_not_grantable");
  // "All" skips what cannot be granted rather than failing.
  Reply all = grant(city_admin_, a_, {{"all", true}, {"org_id", bureau_.id}});
  ASSERT_EQ(all.status, 200u) << all.body;
  EXPECT_EQ(strings(all.json().at("changed")), std::set<std::string>{s2_});
}

}  // namespace
}  // namespace seald::api::testing
