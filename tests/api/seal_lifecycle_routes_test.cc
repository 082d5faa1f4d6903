// Seal lifecycle through real HTTP: lifecycle applications are filed only by
// the seal's applicant or an org seal admin who manages it, only in a state
// where the change is possible, and carried out by an operator; a system
// admin may act directly (audited as such). The certificate side (CRL,
// previous certificates) is checked with the openssl CLI.

#include <gtest/gtest.h>

#include <fstream>

#include "tests/api/seal_test_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace seald::api::testing {
namespace {

using SealLifecycleRoutes = SealApiTest;

std::string text(const boost::json::value& v) {
  return std::string(v.as_string());
}

class Lifecycle : public SealApiTest {
 protected:
  // Files a change as `who`, has the city approve it and the operator carry
  // it out; returns the operator's reply.
  Reply through_application(const Account& who, const std::string& kind, const std::string& code,
                            boost::json::object extra = {}) {
    Reply filed = file_change(who, kind, code);
    EXPECT_EQ(filed.status, 201u) << filed.body;
    std::string id = text(filed.json().at("id"));
    auto approved = harness_.services().workflow.approve(id, 1, "reviewer");
    EXPECT_TRUE(approved) << approved.error().message;
    extra["version"] = approved->application.version;
    return harness_.call_json("POST", "/api/v1/applications/" + id + "/execute", operator_.token,
                              extra);
  }

  // The serials a CRL from the API lists, as the openssl CLI reads them.
  std::string crl_text() {
    Reply crl = harness_.call("GET", "/api/v1/ca/crl", stranger_.token);
    EXPECT_EQ(crl.status, 200u);
    std::ofstream(dir_.file("crl.der"), std::ios::binary) << crl.body;
    std::string out;
    EXPECT_EQ(seald::testing::run_command({"openssl", "crl", "-inform", "DER", "-in",
                                           dir_.file("crl.der"), "-noout", "-text"},
                                          &out),
              0)
        << out;
    return out;
  }

  static std::string upper(std::string s) {
    for (char& c : s) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return s;
  }

  seald::testing::TempDir dir_{"seald-lifecycle-api"};
};

TEST_F(Lifecycle, LossRestoreReissueAndRevokeThroughApplications) {
  std::string code = made("数据局合同专用章", "cloud");
  std::string first_serial = text(seal(code).at("certificate_serial"));

  Reply lost = through_application(applicant_, "report_loss", code);
  ASSERT_EQ(lost.status, 200u) << lost.body;
  EXPECT_EQ(lost.json().at("status"), "suspended");
  Reply restored = through_application(city_admin_, "restore", code);
  ASSERT_EQ(restored.status, 200u) << restored.body;
  EXPECT_EQ(restored.json().at("status"), "active");

  Reply reissued = through_application(applicant_, "reissue", code, {{"comment", "换发"}});
  ASSERT_EQ(reissued.status, 200u) << reissued.body;
  auto after = reissued.json().as_object();
  EXPECT_EQ(text(after.at("code")), code);
  EXPECT_EQ(after.at("status"), "active");
  std::string second_serial = text(after.at("certificate_serial"));
  EXPECT_NE(second_serial, first_serial);
  ASSERT_EQ(after.at("previous_certificate_serials").as_array().size(), 1u);
  EXPECT_EQ(text(after.at("previous_certificate_serials").as_array()[0]), first_serial);
  EXPECT_NE(crl_text().find(upper(first_serial)), std::string::npos)
      << "the replaced certificate is revoked";

  Reply revoked = through_application(applicant_, "revoke", code);
  ASSERT_EQ(revoked.status, 200u) << revoked.body;
  EXPECT_EQ(revoked.json().at("status"), "revoked");
  EXPECT_NE(crl_text().find(upper(second_serial)), std::string::npos);

  EXPECT_EQ(audited("seal.report_loss", "ok"), 1u);
  EXPECT_EQ(audited("seal.restore", "ok"), 1u);
  EXPECT_EQ(audited("seal.reissue", "ok"), 1u);
  EXPECT_EQ(audited("seal.revoke", "ok"), 1u);
  // Nothing follows a revocation.
  Reply again = file_change(applicant_, "restore", code);
  EXPECT_EQ(again.status, 409u) << again.body;
  EXPECT_EQ(again.error(), "seal_status_conflict");
}

TEST_F(Lifecycle, OnlyTheApplicantOrAManagingAdminFilesAndOnlyWhenPossible) {
  std::string code = made("数据局合同专用章", "cloud");
  std::string ukey = made("数据局UKey章", "ukey");
  std::string before = harness_.redis().cli({"--scan", "--pattern", "seald:wf:*"});
  for (const Account* who : {&stranger_, &other_admin_, &operator_}) {
    Reply r = file_change(*who, "revoke", code);
    EXPECT_EQ(r.status, 422u) << r.body;
    EXPECT_EQ(r.error(), "seal_not_found") << "not revealed to those who may not act on it";
  }
  Reply missing = file_change(applicant_, "revoke", "1200002026999999");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_EQ(missing.error(), "seal_not_found");
  Reply wrong_org = file_change(applicant_, "revoke", code, city_.id);
  EXPECT_EQ(wrong_org.status, 422u) << wrong_org.body;
  EXPECT_EQ(wrong_org.error(), "field_invalid");
  Reply restore_active = file_change(applicant_, "restore", code);
  EXPECT_EQ(restore_active.status, 409u) << restore_active.body;
  EXPECT_EQ(restore_active.error(), "seal_status_conflict");
  Reply reissue_ukey = file_change(applicant_, "reissue", ukey);
  EXPECT_EQ(reissue_ukey.status, 409u) << reissue_ukey.body;
  EXPECT_EQ(harness_.redis().cli({"--scan", "--pattern", "seald:wf:*"}), before)
      << "refused filings store nothing";
  EXPECT_EQ(file_change(city_admin_, "report_loss", code).status, 201u);
}

TEST_F(Lifecycle, OnlyAnOperatorExecutesAndOnlyLifecycleKinds) {
  std::string code = made("数据局合同专用章", "cloud");
  Reply filed = file_change(applicant_, "report_loss", code);
  ASSERT_EQ(filed.status, 201u) << filed.body;
  std::string id = text(filed.json().at("id"));
  std::string path = "/api/v1/applications/" + id + "/execute";
  Reply early = harness_.call_json("POST", path, operator_.token, {{"version", 1}});
  EXPECT_EQ(early.status, 409u) << "not approved yet: " << early.body;
  auto approval = harness_.services().workflow.approve(id, 1, "reviewer");
  ASSERT_TRUE(approval);
  boost::json::object body{{"version", approval->application.version}};
  for (const Account* who : {&applicant_, &admin_, &city_admin_}) {
    EXPECT_EQ(harness_.call_json("POST", path, who->token, body).status, 403u);
  }
  EXPECT_EQ(audited("seal.execute", "forbidden"), 3u);
  EXPECT_EQ(seal(code).at("status"), "active");
  EXPECT_EQ(harness_.call_json("POST", path, operator_.token, {{"version", 99}}).status, 409u);
  EXPECT_EQ(harness_.call_json("POST", path, operator_.token, boost::json::object{}).error(),
            "field_missing");
  ASSERT_EQ(harness_.call_json("POST", path, operator_.token, body).status, 200u);
  EXPECT_EQ(seal(code).at("status"), "suspended");
  EXPECT_EQ(harness_.services().workflow.get(id)->state, workflow::State::completed);

  auto fresh = approved("新章", "cloud");
  Reply wrong_kind = harness_.call_json("POST", "/api/v1/applications/" + fresh.id + "/execute",
                                        operator_.token, {{"version", fresh.version}});
  EXPECT_EQ(wrong_kind.status, 409u);
  EXPECT_EQ(wrong_kind.error(), "application_not_executable");
}

TEST_F(Lifecycle, ASystemAdminActsDirectlyAndIsAudited) {
  std::string code = made("数据局合同专用章", "cloud");
  std::string path = "/api/v1/seals/" + code;
  auto version = seal(code).at("version");
  for (const Account* who : {&applicant_, &operator_, &city_admin_, &stranger_}) {
    Reply r = harness_.call_json("POST", path + "/report-loss", who->token,
                                 {{"version", version}, {"reason", "遗失"}});
    EXPECT_EQ(r.status, 403u) << r.body;
  }
  EXPECT_EQ(audited("seal.report_loss", "forbidden"), 4u);
  EXPECT_EQ(harness_.call_json("POST", path + "/report-loss", admin_.token, {{"version", version}})
                .error(),
            "field_missing");
  EXPECT_EQ(harness_
                .call_json("POST", path + "/report-loss", admin_.token,
                           {{"version", 42}, {"reason", "遗失"}})
                .error(),
            "seal_version_conflict");
  EXPECT_EQ(harness_
                .call_json("POST", path + "/report-loss", admin_.token,
                           {{"version", version}, {"reason", "遗失"}, {"key_algorithm", "ec-p384"}})
                .status,
            422u);
  EXPECT_EQ(seal(code).at("status"), "active");

  Reply lost = harness_.call_json("POST", path + "/report-loss", admin_.token,
                                  {{"version", version}, {"reason", "遗失"}});
  ASSERT_EQ(lost.status, 200u) << lost.body;
  Reply twice = harness_.call_json("POST", path + "/report-loss", admin_.token,
                                   {{"version", lost.json().at("version")}, {"reason", "遗失"}});
  EXPECT_EQ(twice.status, 409u);
  EXPECT_EQ(twice.error(), "seal_status_conflict");

  Reply reissued = harness_.call_json(
      "POST", path + "/reissue", admin_.token,
      {{"version", lost.json().at("version")}, {"reason", "补发"}, {"key_algorithm", "ec-p384"}});
  ASSERT_EQ(reissued.status, 200u) << reissued.body;
  EXPECT_EQ(reissued.json().at("key_algorithm"), "ec-p384");
  EXPECT_EQ(reissued.json().at("status"), "active");

  audit::Filter filter;
  filter.action = "seal.reissue";
  auto records = harness_.services().audit.list(filter, "", 10);
  ASSERT_TRUE(records);
  ASSERT_EQ(records->records.size(), 1u);
  std::map<std::string, std::string> details(records->records[0].details.begin(),
                                             records->records[0].details.end());
  EXPECT_EQ(details["path"], "direct");
  EXPECT_EQ(details["reason"], "补发");
  EXPECT_EQ(records->records[0].actor, "user:" + admin_.user_id);
}

}  // namespace
}  // namespace seald::api::testing
