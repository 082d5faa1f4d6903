// The seal routes through real HTTP: an operator makes seals (others get an
// audited 403), who may read a seal and its image, the public certificate,
// "my applied seals" and an org seal admin's managed seals inside and
// outside its scope.

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>

#include "api/routes.h"
#include "audit/log.h"
#include "orgs/credit_code.h"
#include "tests/api/harness.h"
#include "tests/api/seal_test_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace seald::api::testing {
namespace {

using SealRoutes = SealApiTest;

TEST_F(SealRoutes, OnlyAnOperatorMakesASealAndOnlyOnce) {
  auto app = approved("数据局合同专用章", "cloud");
  std::string before = harness_.redis().cli({"--scan", "--pattern", "seald:seals:*"});
  for (const Account* who : {&applicant_, &admin_, &city_admin_, &stranger_}) {
    Reply r = make(*who, app);
    EXPECT_EQ(r.status, 403u) << r.body;
    EXPECT_EQ(r.error(), "forbidden");
  }
  EXPECT_EQ(audited("seal.make", "forbidden"), 4u);
  EXPECT_EQ(harness_.redis().cli({"--scan", "--pattern", "seald:seals:*"}), before);
  EXPECT_EQ(make(operator_, app, "ec-p521").status, 422u);
  EXPECT_EQ(harness_.call("POST", "/api/v1/applications/" + app.id + "/make").status, 401u);

  Reply r = make(operator_, app, "rsa-2048");
  ASSERT_EQ(r.status, 201u) << r.body;
  auto seal = r.json().as_object();
  EXPECT_EQ(seal.at("code").as_string().size(), 16u);
  EXPECT_EQ(std::string(seal.at("code").as_string()).substr(0, 6), region_);
  EXPECT_EQ(seal.at("status").as_string(), "active");
  EXPECT_EQ(seal.at("usage").as_string(), "cloud");
  EXPECT_EQ(seal.at("key_algorithm").as_string(), "rsa-2048");
  EXPECT_TRUE(seal.at("apps").as_array().empty());
  EXPECT_EQ(audited("seal.make", "ok"), 1u);
  EXPECT_EQ(harness_.services().workflow.get(app.id)->state, workflow::State::completed);

  Reply again = make(operator_, app);
  EXPECT_EQ(again.status, 409u) << again.body;
  EXPECT_EQ(again.error(), "application_not_makeable");
}

TEST_F(SealRoutes, WhoMayReadASealAndItsImage) {
  std::string code = made("数据局合同专用章", "cloud");
  std::string path = "/api/v1/seals/" + code;
  for (const Account* who : {&applicant_, &operator_, &admin_, &city_admin_}) {
    Reply r = harness_.call("GET", path, who->token);
    EXPECT_EQ(r.status, 200u) << r.body;
    Reply image = harness_.call("GET", path + "/image", who->token);
    EXPECT_EQ(image.status, 200u) << image.body;
    EXPECT_EQ(image.headers["content-type"], "image/svg+xml");
    EXPECT_NE(image.body.find("<svg"), std::string::npos);
  }
  for (const Account* who : {&other_admin_, &stranger_}) {
    EXPECT_EQ(harness_.call("GET", path, who->token).status, 403u);
    EXPECT_EQ(harness_.call("GET", path + "/image", who->token).status, 403u);
  }
  EXPECT_EQ(audited("seal.read", "forbidden"), 2u);
  EXPECT_EQ(audited("seal.image", "forbidden"), 2u);
  EXPECT_EQ(harness_.call("GET", path).status, 401u);
  EXPECT_EQ(harness_.call("GET", "/api/v1/seals/1200002026999999", admin_.token).status, 404u);
  EXPECT_EQ(harness_.call("GET", "/api/v1/seals/nonsense", admin_.token).status, 404u);
}

TEST_F(SealRoutes, AnyoneSignedInGetsACertificateThatVerifiesAgainstTheCa) {
  std::string code = made("数据局合同专用章", "cloud");
  Reply cert = harness_.call("GET", "/api/v1/seals/" + code + "/certificate", stranger_.token);
  ASSERT_EQ(cert.status, 200u) << cert.body;
  EXPECT_NE(cert.body.find("-----BEGIN CERTIFICATE-----"), std::string::npos);
  seald::testing::TempDir dir("seald-seal-api");
  std::ofstream(dir.file("seal.pem")) << cert.body;
  std::ofstream(dir.file("ca.pem")) << harness_.services().ca.certificate_pem();
  std::string output;
  EXPECT_EQ(
      seald::testing::run_command(
          {"openssl", "verify", "-CAfile", dir.file("ca.pem"), dir.file("seal.pem")}, &output),
      0)
      << output;
  EXPECT_EQ(harness_.call("GET", "/api/v1/seals/" + code + "/certificate").status, 401u);

  std::string ukey = made("数据局UKey章", "ukey");
  Reply none = harness_.call("GET", "/api/v1/seals/" + ukey + "/certificate", stranger_.token);
  EXPECT_EQ(none.status, 404u) << none.body;
}

TEST_F(SealRoutes, MyAppliedSeals) {
  std::string first = made("数据局合同专用章", "cloud");
  std::string second = made("数据局UKey章", "ukey");
  Reply mine = harness_.call("GET", "/api/v1/me/seals", applicant_.token);
  ASSERT_EQ(mine.status, 200u) << mine.body;
  auto json = mine.json().as_object();
  EXPECT_EQ(json.at("total").as_int64(), 2);
  auto items = json.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("code").as_string(), second);
  for (const char* field :
       {"code", "name", "type", "usage", "validity", "status", "enabled_ms", "image_url", "apps"}) {
    EXPECT_TRUE(items[0].as_object().contains(field)) << field;
  }
  EXPECT_EQ(harness_.call("GET", "/api/v1/me/seals?limit=1&offset=1", applicant_.token)
                .json()
                .at("items")
                .as_array()[0]
                .at("code")
                .as_string(),
            first);
  EXPECT_EQ(harness_.call("GET", "/api/v1/me/seals", stranger_.token).json().at("total").as_int64(),
            0);
  EXPECT_EQ(harness_.call("GET", "/api/v1/me/seals?limit=0", applicant_.token).status, 400u);
}

TEST_F(SealRoutes, ManagedSealsInsideAndOutsideTheScope) {
  made("市政府合同章", "ukey", city_.id);
  made("数据局合同专用章", "cloud");
  made("宁波合同章", "ukey", other_.id);

  Reply city = harness_.call("GET", "/api/v1/managed-seals?org_id=" + city_.id, city_admin_.token);
  ASSERT_EQ(city.status, 200u) << city.body;
  EXPECT_EQ(city.json().at("total").as_int64(), 2);
  Reply bureau =
      harness_.call("GET", "/api/v1/managed-seals?org_id=" + bureau_.id, city_admin_.token);
  ASSERT_EQ(bureau.status, 200u) << bureau.body;
  EXPECT_EQ(bureau.json().at("total").as_int64(), 1);
  EXPECT_EQ(bureau.json().at("items").as_array()[0].at("name").as_string(), "数据局合同专用章");

  // Outside the scope: another admin's org, or a parent of one's own.
  Reply outside =
      harness_.call("GET", "/api/v1/managed-seals?org_id=" + other_.id, city_admin_.token);
  EXPECT_EQ(outside.status, 403u) << outside.body;
  EXPECT_EQ(
      harness_.call("GET", "/api/v1/managed-seals?org_id=" + city_.id, other_admin_.token).status,
      403u);
  EXPECT_EQ(harness_.call("GET", "/api/v1/managed-seals?org_id=" + city_.id, admin_.token).status,
            403u);
  EXPECT_EQ(audited("seal.list_managed", "forbidden"), 3u);
  // Without org_id: everything the scope covers.
  Reply all = harness_.call("GET", "/api/v1/managed-seals", city_admin_.token);
  ASSERT_EQ(all.status, 200u) << all.body;
  EXPECT_EQ(all.json().at("total").as_int64(), 2);
  EXPECT_EQ(harness_.call("GET", "/api/v1/managed-seals?org_id=nope", city_admin_.token).status,
            404u);
}

}  // namespace
}  // namespace seald::api::testing
