#include <gtest/gtest.h>

#include "tests/workflow/fixture.h"

namespace seald::workflow {
namespace {

using testing::new_seal_form;
using testing::seal_admin_form;
using testing::seal_change_form;
using testing::WorkflowTest;

std::vector<std::string> ids_of(const Page& page) {
  std::vector<std::string> out;
  for (const auto& a : page.items) {
    out.push_back(a.id);
  }
  return out;
}

TEST_F(WorkflowTest, ApplicantListIsNewestFirstAndPages) {
  std::vector<std::string> created;
  for (int i = 0; i < 12; ++i) {
    created.push_back(create_ok(new_seal_form("分页章-" + std::to_string(i))).id);
  }
  create_ok(new_seal_form("别人的章"), "user-2");
  auto first = workflow_.list_by_applicant("user-1", {}, 0, 5);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->total, 12);
  EXPECT_EQ(ids_of(*first), (std::vector<std::string>{created[11], created[10], created[9],
                                                      created[8], created[7]}));
  auto last = workflow_.list_by_applicant("user-1", {}, 10, 5);
  ASSERT_TRUE(last);
  EXPECT_EQ(ids_of(*last), (std::vector<std::string>{created[1], created[0]}));
  auto beyond = workflow_.list_by_applicant("user-1", {}, 50, 5);
  ASSERT_TRUE(beyond);
  EXPECT_TRUE(beyond->items.empty());
  EXPECT_EQ(beyond->total, 12);
  auto nobody = workflow_.list_by_applicant("user-404", {}, 0, 5);
  ASSERT_TRUE(nobody);
  EXPECT_EQ(nobody->total, 0);
}

TEST_F(WorkflowTest, LimitIsCappedAtOneHundred) {
  for (int i = 0; i < 105; ++i) {
    create_ok(seal_change_form("revoke", "S-" + std::to_string(i)));
  }
  auto page = workflow_.list_by_org("org-1", 0, 1000);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->items.size(), 100u);
  EXPECT_EQ(page->total, 105);
  auto rest = workflow_.list_by_org("org-1", 100, 100);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->items.size(), 5u);
}

TEST_F(WorkflowTest, ApplicantListFiltersByKindAndState) {
  Application a = create_ok(new_seal_form("筛选一"));
  Application b = create_ok(new_seal_form("筛选二"));
  Application c = create_ok(seal_change_form("revoke"));
  Application d = create_ok(seal_admin_form());
  ASSERT_TRUE(workflow_.withdraw(b.id, 1, "user-1"));
  ASSERT_TRUE(workflow_.return_to_applicant(c.id, 1, "reviewer-1", "理由不足"));

  auto by_kind = workflow_.list_by_applicant("user-1", {Kind::new_seal, std::nullopt}, 0, 10);
  ASSERT_TRUE(by_kind);
  EXPECT_EQ(ids_of(*by_kind), (std::vector<std::string>{b.id, a.id}));
  auto by_state =
      workflow_.list_by_applicant("user-1", {std::nullopt, State::pending_review}, 0, 10);
  ASSERT_TRUE(by_state);
  EXPECT_EQ(ids_of(*by_state), (std::vector<std::string>{d.id, a.id}));
  auto both = workflow_.list_by_applicant("user-1", {Kind::new_seal, State::withdrawn}, 0, 10);
  ASSERT_TRUE(both);
  EXPECT_EQ(ids_of(*both), (std::vector<std::string>{b.id}));
  EXPECT_EQ(both->items[0].state, State::withdrawn);
  auto returned = workflow_.list_by_applicant("user-1", {Kind::revoke, State::returned}, 0, 10);
  ASSERT_TRUE(returned);
  EXPECT_EQ(ids_of(*returned), (std::vector<std::string>{c.id}));
  auto none = workflow_.list_by_applicant("user-1", {Kind::restore, std::nullopt}, 0, 10);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->total, 0);
}

TEST_F(WorkflowTest, ReviewQueueHoldsOnlyItsOrgsPendingApplications) {
  Application a = create_ok(new_seal_form("审核一", "org-1", "gov-1"));
  Application b = create_ok(new_seal_form("审核二", "org-2", "gov-2"));
  Application c = create_ok(seal_change_form("reissue"));  // gov-1
  Application d = create_ok(new_seal_form("审核三", "org-3", "gov-1"));
  Application e = create_ok(new_seal_form("审核四", "org-4", "gov-1"));
  ASSERT_TRUE(workflow_.approve(d.id, 1, "reviewer-1"));
  ASSERT_TRUE(workflow_.return_to_applicant(e.id, 1, "reviewer-1", "补材料"));

  auto q1 = workflow_.review_queue("gov-1", 0, 10);
  ASSERT_TRUE(q1);
  EXPECT_EQ(ids_of(*q1), (std::vector<std::string>{c.id, a.id}));
  EXPECT_EQ(q1->total, 2);
  auto q2 = workflow_.review_queue("gov-2", 0, 10);
  ASSERT_TRUE(q2);
  EXPECT_EQ(ids_of(*q2), (std::vector<std::string>{b.id}));

  // Resubmitting puts it back in the queue; withdrawing takes it out.
  ASSERT_TRUE(workflow_.resubmit(e.id, 2, "user-1"));
  ASSERT_TRUE(workflow_.withdraw(a.id, 1, "user-1"));
  q1 = workflow_.review_queue("gov-1", 0, 10);
  ASSERT_TRUE(q1);
  EXPECT_EQ(ids_of(*q1), (std::vector<std::string>{e.id, c.id}));
}

TEST_F(WorkflowTest, EditingTheApprovingOrgMovesTheApplicationBetweenQueues) {
  Application a = create_ok(new_seal_form("换审批机构", "org-1", "gov-1"));
  ASSERT_TRUE(workflow_.return_to_applicant(a.id, 1, "reviewer-1", "审批机构有误"));
  ASSERT_TRUE(workflow_.edit(a.id, 2, "user-1", new_seal_form("换审批机构", "org-5", "gov-2")));
  ASSERT_TRUE(workflow_.resubmit(a.id, 3, "user-1"));
  EXPECT_EQ(workflow_.review_queue("gov-1", 0, 10)->total, 0);
  EXPECT_EQ(ids_of(*workflow_.review_queue("gov-2", 0, 10)), (std::vector<std::string>{a.id}));
  EXPECT_EQ(workflow_.list_by_org("org-1", 0, 10)->total, 0);
  EXPECT_EQ(ids_of(*workflow_.list_by_org("org-5", 0, 10)), (std::vector<std::string>{a.id}));
}

TEST_F(WorkflowTest, OrgListAndOperatorQueue) {
  Application a = create_ok(new_seal_form("机构一", "org-7"));
  Application b = create_ok(seal_change_form("report_loss"), "user-2");  // org-1
  Application c = create_ok(new_seal_form("机构二", "org-7"), "user-3");
  auto org7 = workflow_.list_by_org("org-7", 0, 10);
  ASSERT_TRUE(org7);
  EXPECT_EQ(ids_of(*org7), (std::vector<std::string>{c.id, a.id}));

  ASSERT_TRUE(workflow_.approve(a.id, 1, "reviewer-1"));
  ASSERT_TRUE(workflow_.approve(b.id, 1, "reviewer-1"));
  auto make = workflow_.list_by_state(State::pending_make, 0, 10);
  ASSERT_TRUE(make);
  EXPECT_EQ(ids_of(*make), (std::vector<std::string>{b.id, a.id}));
  ASSERT_TRUE(workflow_.complete(a.id, 2, "operator-1"));
  make = workflow_.list_by_state(State::pending_make, 0, 10);
  ASSERT_TRUE(make);
  EXPECT_EQ(ids_of(*make), (std::vector<std::string>{b.id}));
  EXPECT_EQ(ids_of(*workflow_.list_by_state(State::completed, 0, 10)),
            (std::vector<std::string>{a.id}));
  EXPECT_EQ(ids_of(*workflow_.list_by_state(State::pending_review, 0, 10)),
            (std::vector<std::string>{c.id}));
}

TEST_F(WorkflowTest, ListKeysRefuseIdsThatCouldAliasOtherKeys) {
  EXPECT_ERROR_CODE(workflow_.list_by_applicant("user-1:kind:new", {}, 0, 10), "field_invalid");
  EXPECT_ERROR_CODE(workflow_.review_queue("", 0, 10), "field_missing");
}

}  // namespace
}  // namespace seald::workflow
