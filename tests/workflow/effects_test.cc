#include <gtest/gtest.h>

#include <mutex>

#include "tests/workflow/fixture.h"

namespace seald::workflow {
namespace {

using testing::new_seal_form;
using testing::org_update_form;
using testing::seal_admin_form;
using testing::WorkflowTest;

// Records what it was asked to do; can be told to fail, as a Redis or
// registry outage in the other component would.
class RecordingEffects : public Effects {
 public:
  Status apply(const Application& app) override {
    std::lock_guard lock(mu_);
    calls.push_back(app);
    if (fail) {
      return make_error("registry_unavailable", "org registry is down");
    }
    return {};
  }
  std::mutex mu_;
  std::vector<Application> calls;
  bool fail = false;
};

class WorkflowEffectsTest : public WorkflowTest {
 protected:
  WorkflowEffectsTest() : with_effects_(pool_, &effects_) {}
  RecordingEffects effects_;
  Workflow with_effects_;
};

TEST_F(WorkflowEffectsTest, SealAdminApprovalCompletesAndGrantsTheScope) {
  auto app = with_effects_.create("user-5", seal_admin_form());
  ASSERT_TRUE(app);
  auto approval = with_effects_.approve(app->id, 1, "reviewer-1", "同意");
  ASSERT_TRUE(approval) << approval.error().message;
  EXPECT_TRUE(approval->effect_required);
  EXPECT_FALSE(approval->effect_error);
  EXPECT_EQ(approval->application.state, State::completed);
  EXPECT_EQ(approval->application.effect, EffectStatus::applied);
  ASSERT_EQ(effects_.calls.size(), 1u);
  const Application& seen = effects_.calls[0];
  EXPECT_EQ(seen.applicant_id, "user-5");
  EXPECT_EQ(seen.form.region_code, "330100");
  EXPECT_EQ(seen.form.org_id, "org-1");
  EXPECT_EQ(seen.state, State::completed) << "the effect runs after the approval is committed";

  auto stored = with_effects_.get(app->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->effect, EffectStatus::applied);
  EXPECT_EQ(stored->version, approval->application.version);
  EXPECT_EQ(with_effects_.list_by_state(State::pending_make, 0, 10)->total, 0);
  auto h = with_effects_.history(app->id);
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[1].action, Action::approved);
  EXPECT_EQ((*h)[1].to, State::completed);
  EXPECT_ERROR_CODE(with_effects_.complete(app->id, stored->version, "operator-1"),
                    "invalid_transition");
}

TEST_F(WorkflowEffectsTest, OrgUpdateApprovalAppliesTheChange) {
  auto app = with_effects_.create("user-6", org_update_form());
  ASSERT_TRUE(app);
  auto approval = with_effects_.approve(app->id, 1, "reviewer-1");
  ASSERT_TRUE(approval);
  EXPECT_EQ(approval->application.state, State::completed);
  ASSERT_EQ(effects_.calls.size(), 1u);
  EXPECT_EQ(effects_.calls[0].form.new_credit_code, "91350100M000100Y43");
  EXPECT_EQ(effects_.calls[0].form.new_name, "杭州市数据资源管理局");
}

TEST_F(WorkflowEffectsTest, NewSealApprovalHasNoEffect) {
  auto app = with_effects_.create("user-1", new_seal_form("无副作用章"));
  ASSERT_TRUE(app);
  auto approval = with_effects_.approve(app->id, 1, "reviewer-1");
  ASSERT_TRUE(approval);
  EXPECT_FALSE(approval->effect_required);
  EXPECT_TRUE(effects_.calls.empty());
  EXPECT_ERROR_CODE(with_effects_.apply_effects(app->id), "effect_not_applicable");
}

TEST_F(WorkflowEffectsTest, FailedEffectKeepsTheApprovalAndCanBeRetried) {
  auto app = with_effects_.create("user-5", seal_admin_form());
  ASSERT_TRUE(app);
  effects_.fail = true;
  auto approval = with_effects_.approve(app->id, 1, "reviewer-1");
  ASSERT_TRUE(approval) << "the approval itself succeeded";
  ASSERT_TRUE(approval->effect_error);
  EXPECT_EQ(approval->effect_error->code, "registry_unavailable");
  auto stored = with_effects_.get(app->id);
  EXPECT_EQ(stored->state, State::completed);
  EXPECT_EQ(stored->effect, EffectStatus::pending);
  auto pending = with_effects_.list_pending_effects(0, 10);
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->total, 1);
  EXPECT_EQ(pending->items[0].id, app->id);

  EXPECT_ERROR_CODE(with_effects_.apply_effects(app->id), "registry_unavailable");
  effects_.fail = false;
  ASSERT_TRUE(with_effects_.apply_effects(app->id));
  EXPECT_EQ(with_effects_.get(app->id)->effect, EffectStatus::applied);
  EXPECT_EQ(with_effects_.list_pending_effects(0, 10)->total, 0);
  std::size_t calls = effects_.calls.size();
  ASSERT_TRUE(with_effects_.apply_effects(app->id));
  EXPECT_EQ(effects_.calls.size(), calls) << "an applied effect is not run again";
}

TEST_F(WorkflowEffectsTest, ApplyEffectsBeforeApprovalIsRefused) {
  auto app = with_effects_.create("user-5", seal_admin_form());
  ASSERT_TRUE(app);
  EXPECT_ERROR_CODE(with_effects_.apply_effects(app->id), "invalid_transition");
  EXPECT_TRUE(effects_.calls.empty());
}

TEST_F(WorkflowTest, WithoutAnEffectHandlerTheEffectStaysPending) {
  Application app = create_ok(seal_admin_form());
  auto approval = workflow_.approve(app.id, 1, "reviewer-1");
  ASSERT_TRUE(approval);
  ASSERT_TRUE(approval->effect_error);
  EXPECT_EQ(approval->effect_error->code, "effects_not_configured");
  EXPECT_EQ(workflow_.list_pending_effects(0, 10)->total, 1);
}

}  // namespace
}  // namespace seald::workflow
