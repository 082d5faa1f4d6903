#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/workflow/fixture.h"

namespace seald::workflow {
namespace {

using testing::new_seal_form;
using testing::WorkflowTest;

TEST_F(WorkflowTest, DuplicateSealNameIsRefusedAndChangesNothing) {
  Application first = create_ok(new_seal_form("杭州市财政局财务专用章"));
  auto before = snapshot();
  EXPECT_ERROR_CODE(workflow_.create("user-2", new_seal_form("杭州市财政局财务专用章", "org-2")),
                    "seal_name_taken");
  EXPECT_EQ(snapshot(), before) << "not even the id counter moves";
  auto owner = workflow_.seal_name_owner("杭州市财政局财务专用章");
  ASSERT_TRUE(owner);
  EXPECT_EQ(*owner, "application:" + first.id);
}

TEST_F(WorkflowTest, NamesDifferingOnlyInCaseWidthOrSpacingCollide) {
  create_ok(new_seal_form("Acme Trading Contract Seal"));
  for (const char* variant :
       {"acme trading contract seal", "  ACME   Trading Contract Seal ",
        "Acme\xE3\x80\x80Trading Contract Seal",  // ideographic space
        "\xEF\xBC\xA1\xEF\xBD\x83\xEF\xBD\x8D\xEF\xBD\x85 Trading Contract Seal"}) {  // full-width
                                                                                      // Ａｃｍｅ
    EXPECT_ERROR_CODE(workflow_.create("user-2", new_seal_form(variant)), "seal_name_taken");
  }
  create_ok(new_seal_form("Acme Trading Contract Seal 2"));
}

TEST_F(WorkflowTest, ConcurrentApplicationsForOneNameExactlyOneWins) {
  constexpr int kThreads = 8;
  for (int round = 0; round < 5; ++round) {
    std::string name = "并发章-" + std::to_string(round);
    std::atomic<int> wins{0};
    std::atomic<int> taken{0};
    std::atomic<int> other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        auto r = workflow_.create("user-" + std::to_string(t), new_seal_form(name));
        if (r) {
          ++wins;
        } else if (r.error().code == "seal_name_taken") {
          ++taken;
        } else {
          ++other;
        }
      });
    }
    for (auto& t : threads) {
      t.join();
    }
    EXPECT_EQ(wins.load(), 1) << name;
    EXPECT_EQ(taken.load(), kThreads - 1) << name;
    EXPECT_EQ(other.load(), 0);
  }
  auto all = workflow_.list_by_state(State::pending_review, 0, 100);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->total, 5);
}

TEST_F(WorkflowTest, EditingToAnotherNameMovesTheClaim) {
  Application app = create_ok(new_seal_form("旧名"));
  create_ok(new_seal_form("别人的名字"), "user-9");
  ASSERT_TRUE(workflow_.return_to_applicant(app.id, 1, "reviewer-1", "名称不规范"));
  auto before = snapshot();
  EXPECT_ERROR_CODE(workflow_.edit(app.id, 2, "user-1", new_seal_form("别人的名字")),
                    "seal_name_taken");
  EXPECT_EQ(snapshot(), before);
  ASSERT_TRUE(workflow_.edit(app.id, 2, "user-1", new_seal_form("新名")));
  EXPECT_EQ(*workflow_.seal_name_owner("新名"), "application:" + app.id);
  EXPECT_FALSE(workflow_.seal_name_owner("旧名")->has_value());
  create_ok(new_seal_form("旧名"), "user-3");  // the old name is free for anyone
  // Re-spelling one's own name (same normalised form) keeps the claim.
  ASSERT_TRUE(workflow_.edit(app.id, 3, "user-1", new_seal_form("  新名 ")));
  EXPECT_EQ(*workflow_.seal_name_owner("新名"), "application:" + app.id);
}

TEST_F(WorkflowTest, WithdrawingFreesTheName) {
  Application app = create_ok(new_seal_form("撤回的名字"));
  ASSERT_TRUE(workflow_.withdraw(app.id, 1, "user-1"));
  EXPECT_FALSE(workflow_.seal_name_owner("撤回的名字")->has_value());
  Application again = create_ok(new_seal_form("撤回的名字"), "user-2");
  EXPECT_EQ(*workflow_.seal_name_owner("撤回的名字"), "application:" + again.id);
}

TEST_F(WorkflowTest, ReturnedApplicationKeepsItsName) {
  Application app = create_ok(new_seal_form("退回的名字"));
  ASSERT_TRUE(workflow_.return_to_applicant(app.id, 1, "reviewer-1", "请修改"));
  EXPECT_ERROR_CODE(workflow_.create("user-2", new_seal_form("退回的名字")), "seal_name_taken");
}

TEST_F(WorkflowTest, SealTakesOverTheNameAndCanReleaseIt) {
  Application app = create_ok(new_seal_form("制成的章"));
  EXPECT_ERROR_CODE(workflow_.transfer_name_to_seal(app.id, "SEAL-1"), "invalid_transition");
  ASSERT_TRUE(workflow_.approve(app.id, 1, "reviewer-1"));
  ASSERT_TRUE(workflow_.transfer_name_to_seal(app.id, "SEAL-1"));
  EXPECT_TRUE(workflow_.transfer_name_to_seal(app.id, "SEAL-1")) << "a retry is harmless";
  EXPECT_ERROR_CODE(workflow_.transfer_name_to_seal(app.id, "SEAL-2"), "name_not_claimed");
  EXPECT_EQ(*workflow_.seal_name_owner("制成的章"), "seal:SEAL-1");
  ASSERT_TRUE(workflow_.complete(app.id, 2, "operator-1"));
  EXPECT_EQ(*workflow_.seal_name_owner("制成的章"), "seal:SEAL-1");
  EXPECT_ERROR_CODE(workflow_.create("user-2", new_seal_form("制成的章")), "seal_name_taken");

  EXPECT_ERROR_CODE(workflow_.release_name("制成的章", "SEAL-2"), "name_not_claimed");
  ASSERT_TRUE(workflow_.release_name("制成的章", "SEAL-1"));
  create_ok(new_seal_form("制成的章"), "user-2");
}

}  // namespace
}  // namespace seald::workflow
