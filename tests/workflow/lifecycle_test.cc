#include <gtest/gtest.h>

#include "tests/workflow/fixture.h"

namespace seald::workflow {
namespace {

using testing::new_seal_form;
using testing::org_update_form;
using testing::seal_admin_form;
using testing::seal_change_form;
using testing::WorkflowTest;

TEST_F(WorkflowTest, CreatesEachSealTypeAndReadsItBack) {
  std::vector<std::string> ids;
  for (const char* type :
       {"legal_name", "finance", "invoice", "contract", "business", "personal_name"}) {
    auto form = new_seal_form(std::string("章-") + type);
    form.seal_type = type;
    if (form.seal_type == "personal_name") {
      form.creation_method = "handdrawn";
      form.image_upload_id = "up-drawn-7";
    }
    Application app = create_ok(form);
    EXPECT_EQ(app.state, State::pending_review);
    EXPECT_EQ(app.version, 1);
    EXPECT_EQ(app.payment_status, "unpaid");
    EXPECT_GT(app.created_at_ms, 1'600'000'000'000);
    auto got = workflow_.get(app.id);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->form, form) << type;
    EXPECT_EQ(got->applicant_id, "user-1");
    ids.push_back(app.id);
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end()) << "ids are distinct";
}

TEST_F(WorkflowTest, CreatesEachKind) {
  std::vector<ApplicationForm> forms{new_seal_form("新章"),
                                     seal_change_form("revoke"),
                                     seal_change_form("reissue"),
                                     seal_change_form("report_loss"),
                                     seal_change_form("restore"),
                                     org_update_form(),
                                     seal_admin_form()};
  for (const auto& form : forms) {
    Application app = create_ok(form);
    auto got = workflow_.get(app.id);
    ASSERT_TRUE(got);
    EXPECT_EQ(to_string(got->kind), form.kind);
    EXPECT_EQ(got->form, form) << form.kind;
    EXPECT_EQ(got->state, State::pending_review);
    EXPECT_EQ(got->payment_status.empty(), form.kind != "new");
  }
}

TEST_F(WorkflowTest, UnknownApplicationIsNotFound) {
  EXPECT_ERROR_CODE(workflow_.get("999"), "application_not_found");
  EXPECT_ERROR_CODE(workflow_.history("999"), "application_not_found");
  EXPECT_ERROR_CODE(workflow_.withdraw("999", 1, "user-1"), "application_not_found");
}

TEST_F(WorkflowTest, NewSealGoesThroughReviewMakingAndCompletion) {
  Application app = create_ok(new_seal_form("流程章"));
  auto approved = workflow_.approve(app.id, 1, "reviewer-1", "材料齐全");
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->application.state, State::pending_make);
  EXPECT_FALSE(approved->effect_required);
  EXPECT_EQ(approved->application.review_comment, "材料齐全");
  auto done = workflow_.complete(app.id, 2, "operator-1");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->state, State::completed);
  EXPECT_EQ(workflow_.get(app.id)->version, 3);
}

TEST_F(WorkflowTest, ReturnEditResubmitApprove) {
  Application app = create_ok(new_seal_form("旧名称章"));
  EXPECT_ERROR_CODE(workflow_.return_to_applicant(app.id, 1, "reviewer-1", ""), "field_missing");
  auto returned = workflow_.return_to_applicant(app.id, 1, "reviewer-1", "印模不清晰");
  ASSERT_TRUE(returned) << returned.error().message;
  EXPECT_EQ(returned->state, State::returned);
  EXPECT_EQ(returned->review_comment, "印模不清晰");

  auto form = new_seal_form("新名称章");
  form.form_upload_id = "up-scan-2";
  auto edited = workflow_.edit(app.id, 2, "user-1", form);
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_EQ(edited->state, State::returned);
  EXPECT_EQ(workflow_.get(app.id)->form, form);

  auto again = workflow_.resubmit(app.id, 3, "user-1", "已重新扫描");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->state, State::pending_review);
  auto approved = workflow_.approve(app.id, 4, "reviewer-1");
  ASSERT_TRUE(approved);
  EXPECT_EQ(approved->application.state, State::pending_make);
}

TEST_F(WorkflowTest, EditCannotChangeKindAndIsTheApplicantsOnly) {
  Application app = create_ok(new_seal_form("编辑章"));
  ASSERT_TRUE(workflow_.return_to_applicant(app.id, 1, "reviewer-1", "请修改"));
  auto before = snapshot();
  EXPECT_ERROR_CODE(workflow_.edit(app.id, 2, "user-1", seal_change_form("revoke")),
                    "field_invalid");
  EXPECT_ERROR_CODE(workflow_.edit(app.id, 2, "user-2", new_seal_form("编辑章二")),
                    "not_applicant");
  EXPECT_ERROR_CODE(workflow_.resubmit(app.id, 2, "user-2"), "not_applicant");
  EXPECT_ERROR_CODE(workflow_.withdraw(app.id, 2, "user-2"), "not_applicant");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(WorkflowTest, WithdrawFromPendingReviewAndFromReturned) {
  Application a = create_ok(new_seal_form("撤回一"));
  auto w = workflow_.withdraw(a.id, 1, "user-1");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->state, State::withdrawn);
  Application b = create_ok(seal_change_form("revoke"));
  ASSERT_TRUE(workflow_.return_to_applicant(b.id, 1, "reviewer-1", "理由不充分"));
  auto w2 = workflow_.withdraw(b.id, 2, "user-1");
  ASSERT_TRUE(w2);
  EXPECT_EQ(w2->state, State::withdrawn);
}

// Drives one application into each state, then tries every action that state
// does not allow: each is refused with invalid_transition naming the state,
// and Redis is byte-for-byte unchanged.
TEST_F(WorkflowTest, EveryIllegalTransitionIsRefusedAndChangesNothing) {
  Application pending = create_ok(new_seal_form("状态一"));
  Application returned = create_ok(new_seal_form("状态二"));
  ASSERT_TRUE(workflow_.return_to_applicant(returned.id, 1, "r", "改"));
  Application making = create_ok(new_seal_form("状态三"));
  ASSERT_TRUE(workflow_.approve(making.id, 1, "r"));
  Application completed = create_ok(new_seal_form("状态四"));
  ASSERT_TRUE(workflow_.approve(completed.id, 1, "r"));
  ASSERT_TRUE(workflow_.complete(completed.id, 2, "op"));
  Application withdrawn = create_ok(new_seal_form("状态五"));
  ASSERT_TRUE(workflow_.withdraw(withdrawn.id, 1, "user-1"));

  struct Case {
    std::string id;
    State state;
  };
  std::vector<Case> cases{{pending.id, State::pending_review},
                          {returned.id, State::returned},
                          {making.id, State::pending_make},
                          {completed.id, State::completed},
                          {withdrawn.id, State::withdrawn}};
  auto before = snapshot();
  int refused = 0;
  for (const auto& c : cases) {
    std::int64_t v = workflow_.get(c.id)->version;
    auto form = new_seal_form("状态六");
    auto check = [&](auto result, bool allowed) {
      if (allowed) {
        return;
      }
      ASSERT_FALSE(result) << "allowed from " << to_string(c.state);
      EXPECT_EQ(result.error().code, "invalid_transition");
      EXPECT_NE(result.error().message.find(std::string(to_string(c.state))), std::string::npos)
          << result.error().message;
      ++refused;
    };
    // Only the refused actions are called; the allowed ones would change the record.
    State s = c.state;
    if (s != State::returned) {
      check(workflow_.edit(c.id, v, "user-1", form), false);
      check(workflow_.resubmit(c.id, v, "user-1"), false);
    }
    if (s != State::pending_review && s != State::returned) {
      check(workflow_.withdraw(c.id, v, "user-1"), false);
    }
    if (s != State::pending_review) {
      check(workflow_.return_to_applicant(c.id, v, "r", "no"), false);
      check(workflow_.approve(c.id, v, "r"), false);
    }
    if (s != State::pending_make) {
      check(workflow_.complete(c.id, v, "op"), false);
    }
    if (s == State::completed || s == State::withdrawn) {
      check(workflow_.mark_paid(c.id, v, "cashier"), false);
    }
  }
  EXPECT_EQ(refused, 3 + 3 + 5 + 7 + 7);
  EXPECT_EQ(snapshot(), before);
}

TEST_F(WorkflowTest, StaleVersionIsAConflictAndChangesNothing) {
  Application app = create_ok(new_seal_form("版本章"));
  ASSERT_TRUE(workflow_.mark_paid(app.id, 1, "cashier"));
  auto before = snapshot();
  EXPECT_ERROR_CODE(workflow_.approve(app.id, 1, "reviewer-1"), "application_version_conflict");
  EXPECT_ERROR_CODE(workflow_.withdraw(app.id, 3, "user-1"), "application_version_conflict");
  EXPECT_EQ(snapshot(), before);
  EXPECT_TRUE(workflow_.approve(app.id, 2, "reviewer-1"));
}

TEST_F(WorkflowTest, SelfPaidApplicationsMustBePaidBeforeApproval) {
  auto form = new_seal_form("自付章");
  form.payment_mode = "self";
  Application app = create_ok(form);
  auto before = snapshot();
  EXPECT_ERROR_CODE(workflow_.approve(app.id, 1, "reviewer-1"), "payment_required");
  EXPECT_EQ(snapshot(), before);
  auto paid = workflow_.mark_paid(app.id, 1, "cashier");
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->payment_status, "paid");
  EXPECT_EQ(paid->state, State::pending_review);
  EXPECT_ERROR_CODE(workflow_.mark_paid(app.id, 2, "cashier"), "already_paid");
  EXPECT_TRUE(workflow_.approve(app.id, 2, "reviewer-1"));
  Application revoke = create_ok(seal_change_form("revoke"));
  EXPECT_ERROR_CODE(workflow_.mark_paid(revoke.id, 1, "cashier"), "invalid_transition");
}

TEST_F(WorkflowTest, HistoryIsCompleteAndInOrder) {
  Application app = create_ok(new_seal_form("历史章"));
  ASSERT_TRUE(workflow_.return_to_applicant(app.id, 1, "reviewer-1", "印模不清晰"));
  ASSERT_TRUE(workflow_.edit(app.id, 2, "user-1", new_seal_form("历史章二")));
  ASSERT_TRUE(workflow_.resubmit(app.id, 3, "user-1", "已修改"));
  ASSERT_TRUE(workflow_.mark_paid(app.id, 4, "cashier"));
  ASSERT_TRUE(workflow_.approve(app.id, 5, "reviewer-2", "同意"));
  ASSERT_TRUE(workflow_.complete(app.id, 6, "operator-1"));
  EXPECT_ERROR_CODE(workflow_.withdraw(app.id, 7, "user-1"), "invalid_transition");

  auto h = workflow_.history(app.id);
  ASSERT_TRUE(h) << h.error().message;
  struct Want {
    const char* actor;
    Action action;
    std::optional<State> from;
    State to;
    const char* comment;
  };
  std::vector<Want> want{
      {"user-1", Action::created, std::nullopt, State::pending_review, ""},
      {"reviewer-1", Action::returned, State::pending_review, State::returned, "印模不清晰"},
      {"user-1", Action::edited, State::returned, State::returned, ""},
      {"user-1", Action::resubmitted, State::returned, State::pending_review, "已修改"},
      {"cashier", Action::paid, State::pending_review, State::pending_review, ""},
      {"reviewer-2", Action::approved, State::pending_review, State::pending_make, "同意"},
      {"operator-1", Action::completed, State::pending_make, State::completed, ""},
  };
  ASSERT_EQ(h->size(), want.size());
  std::int64_t last = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto& e = (*h)[i];
    EXPECT_EQ(e.actor_id, want[i].actor) << i;
    EXPECT_EQ(e.action, want[i].action) << i;
    EXPECT_EQ(e.from, want[i].from) << i;
    EXPECT_EQ(e.to, want[i].to) << i;
    EXPECT_EQ(e.comment, want[i].comment) << i;
    EXPECT_GE(e.at_ms, last) << i;
    last = e.at_ms;
  }
}

TEST_F(WorkflowTest, EverythingSurvivesARedisRestart) {
  Application a = create_ok(new_seal_form("持久章"));
  ASSERT_TRUE(workflow_.return_to_applicant(a.id, 1, "reviewer-1", "请补充"));
  Application b = create_ok(seal_admin_form(), "user-2");
  auto before = snapshot();
  server_.stop();
  server_.start();
  // Idle pooled connections died with the server; each fails once, then the
  // pool connects afresh. Callers see redis_unavailable for those, not wrong data.
  for (int i = 0; i < 5 && !pool_.ping(); ++i) {
  }
  EXPECT_EQ(snapshot(), before);
  auto got = workflow_.get(a.id);  // the pool reconnects by itself
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->state, State::returned);
  EXPECT_EQ(got->review_comment, "请补充");
  EXPECT_EQ(workflow_.history(a.id)->size(), 2u);
  EXPECT_EQ(workflow_.review_queue("gov-1", 0, 10)->total, 1);
  EXPECT_ERROR_CODE(workflow_.create("user-3", new_seal_form("持久章")), "seal_name_taken");
  Application c = create_ok(new_seal_form("重启后的章"));
  EXPECT_NE(c.id, a.id);
  EXPECT_NE(c.id, b.id);
}

}  // namespace
}  // namespace seald::workflow
