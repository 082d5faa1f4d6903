#include <gtest/gtest.h>

#include "tests/api/application_test_support.h"

namespace seald::api::testing {
namespace {

class ApplicationEffectsTest : public ApplicationApiTest {
 protected:
  ApplicationEffectsTest()
      : alice_(harness_.make_user("Alice")),
        reviewer_(harness_.make_user("Rita", {authz::Grant::reviewer(city_.id)})) {}

  Reply approve(const boost::json::object& app) {
    return harness_.call_json("POST", path(id_of(app), "/approve"), reviewer_.token,
                              {{"version", version_of(app)}});
  }

  Account alice_;
  Account reviewer_;
};

TEST_F(ApplicationEffectsTest, ApprovingASealAdminApplicationGrantsTheScope) {
  auto app =
      file(alice_, {{"kind", "seal_admin"}, {"org_id", bureau_.id}, {"region_code", "330100"}});
  auto none = harness_.services().roles.grants_of(alice_.user_id);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  Reply approved = approve(app);
  ASSERT_EQ(approved.status, 200u) << approved.body;
  EXPECT_EQ(approved.json().as_object().at("state").as_string(), "completed");
  EXPECT_EQ(approved.json().as_object().at("effect").as_string(), "applied");
  auto grants = harness_.services().roles.grants_of(alice_.user_id);
  ASSERT_TRUE(grants);
  ASSERT_EQ(grants->size(), 1u);
  EXPECT_EQ((*grants)[0], authz::Grant::org_seal_admin("330100", bureau_.id));

  // A replay (apply_effects after an interruption) changes nothing.
  auto stored = harness_.services().workflow.get(id_of(app));
  ASSERT_TRUE(stored);
  EXPECT_TRUE(effects_.apply(*stored));
  EXPECT_EQ(harness_.services().roles.grants_of(alice_.user_id)->size(), 1u);
}

TEST_F(ApplicationEffectsTest, ApprovingAnOrgUpdateChangesTheOrg) {
  std::string licence = upload(alice_);
  std::string code = test_credit_code(500);
  auto app = file(alice_, {{"kind", "org_update"},
                           {"org_id", bureau_.id},
                           {"approving_org_id", city_.id},
                           {"new_name", "杭州市市场监管局"},
                           {"new_credit_code", code},
                           {"licence_upload_id", licence}});
  Reply approved = approve(app);
  ASSERT_EQ(approved.status, 200u) << approved.body;
  EXPECT_EQ(approved.json().as_object().at("effect").as_string(), "applied");
  auto org = harness_.services().orgs.get(bureau_.id);
  ASSERT_TRUE(org);
  EXPECT_EQ(org->name, "杭州市市场监管局");
  EXPECT_EQ(org->credit_code, code);
  EXPECT_EQ(org->parent_id, city_.id);

  auto stored = harness_.services().workflow.get(id_of(app));
  ASSERT_TRUE(stored);
  EXPECT_TRUE(effects_.apply(*stored));
  EXPECT_EQ(harness_.services().orgs.get(bureau_.id)->version, org->version);
}

TEST_F(ApplicationEffectsTest, AFailedEffectIsReportedAndTheApprovalStands) {
  harness_.effects().handler = [](const workflow::Application&) -> Status {
    return make_error("redis_unavailable", "test: roles store down");
  };
  auto app =
      file(alice_, {{"kind", "seal_admin"}, {"org_id", bureau_.id}, {"region_code", "330100"}});
  Reply approved = approve(app);
  ASSERT_EQ(approved.status, 200u) << approved.body;
  auto json = approved.json().as_object();
  EXPECT_EQ(json.at("state").as_string(), "completed");
  EXPECT_EQ(json.at("effect").as_string(), "pending");
  EXPECT_EQ(json.at("effect_error").as_object().at("error").as_string(), "redis_unavailable");
  EXPECT_TRUE(harness_.services().roles.grants_of(alice_.user_id)->empty());
}

TEST_F(ApplicationEffectsTest, PrintsTheApplicationForm) {
  auto seal = file(alice_, new_seal_form("合同专用章"));
  auto admin =
      file(alice_, {{"kind", "seal_admin"}, {"org_id", bureau_.id}, {"region_code", "330100"}});
  for (const auto* app : {&seal, &admin}) {
    Reply pdf = harness_.call("GET", path(id_of(*app), "/form.pdf"), reviewer_.token);
    ASSERT_EQ(pdf.status, 200u) << pdf.body;
    EXPECT_EQ(pdf.headers["content-type"], "application/pdf");
    EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  }
  auto update = file(alice_, {{"kind", "org_update"},
                              {"org_id", bureau_.id},
                              {"approving_org_id", city_.id},
                              {"new_name", "杭州市市场监管局"},
                              {"licence_upload_id", upload(alice_)}});
  Reply none = harness_.call("GET", path(id_of(update), "/form.pdf"), alice_.token);
  EXPECT_EQ(none.status, 404u);
  EXPECT_EQ(none.error(), "printable_form_not_found");
  Account bob = harness_.make_user("Bob");
  EXPECT_EQ(harness_.call("GET", path(id_of(seal), "/form.pdf"), bob.token).status, 403u);
  EXPECT_EQ(audited("application.form_pdf", "forbidden"), 1u);
  EXPECT_EQ(harness_.call("GET", path(id_of(seal), "/form.pdf")).status, 401u);
}

}  // namespace
}  // namespace seald::api::testing
