#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/orgs/org_fixture.h"

namespace seald::orgs {
namespace {

using Names = std::vector<std::string>;

// A(B(D(G), E), C(F)).
class OrgChangeTest : public OrgStoreTest {
 protected:
  void SetUp() override {
    a = make("A");
    b = make("B", a.id);
    c = make("C", a.id);
    d = make("D", b.id);
    e = make("E", b.id);
    f = make("F", c.id);
    g = make("G", d.id);
  }
  Names subtree(const Organisation& root) { return names(*store_.list_subtree(root.id, 0, 100)); }
  Names children(const std::string& parent) { return names(*store_.list_children(parent, 0, 100)); }
  Organisation a, b, c, d, e, f, g;
};

TEST_F(OrgChangeTest, CodeNameAndParentChangeTogetherAndIndexesFollow) {
  std::string old_code = b.credit_code;
  OrgChange change;
  change.name = "B2";
  change.credit_code = test_code(900);
  change.parent_id = c.id;
  auto changed = store_.apply_change(b.id, b.version, change);
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->name, "B2");
  EXPECT_EQ(changed->credit_code, test_code(900));
  EXPECT_EQ(changed->parent_id, c.id);
  EXPECT_EQ(changed->region, b.region);
  EXPECT_EQ(changed->version, b.version + 1);
  EXPECT_GE(changed->updated_ms, b.updated_ms);
  EXPECT_EQ(changed->created_ms, b.created_ms);

  EXPECT_EQ(store_.get_by_credit_code(test_code(900))->id, b.id);
  EXPECT_EQ(store_.get_by_credit_code(old_code).error().code, "org_not_found");
  auto reuse = store_.create({"reuses the old code", old_code, "330000", ""});
  EXPECT_TRUE(reuse) << reuse.error().message;

  EXPECT_EQ(children(a.id), (Names{"C"}));
  EXPECT_EQ(children(c.id), (Names{"B2", "F"}));  // creation order, not move order
  EXPECT_EQ(subtree(a), (Names{"A", "C", "B2", "D", "G", "E", "F"}));
  EXPECT_EQ(subtree(c), (Names{"C", "B2", "D", "G", "E", "F"}));
  EXPECT_EQ(*store_.ancestors(g.id), (Names{d.id, b.id, c.id, a.id}));
  EXPECT_TRUE(*store_.is_in_subtree(g.id, c.id));
  EXPECT_EQ(store_.get(g.id)->version, g.version) << "descendants keep their own record";
}

TEST_F(OrgChangeTest, MovingToTheTopMakesARoot) {
  OrgChange change;
  change.parent_id = "";
  auto changed = store_.apply_change(d.id, d.version, change);
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_TRUE(changed->is_root());
  EXPECT_EQ(children(""), (Names{"A", "D"}));
  EXPECT_EQ(children(b.id), (Names{"E"}));
  EXPECT_EQ(subtree(d), (Names{"D", "G"}));
  EXPECT_EQ(subtree(a), (Names{"A", "B", "E", "C", "F"}));
  EXPECT_EQ(*store_.ancestors(g.id), (Names{d.id}));
  EXPECT_FALSE(*store_.is_in_subtree(g.id, a.id));
}

TEST_F(OrgChangeTest, MovingUnderOwnSubtreeIsRefusedAndChangesNothing) {
  auto before = snapshot();
  for (const auto* target : {&b, &d, &g}) {
    OrgChange change;
    change.name = "never applied";
    change.parent_id = target->id;
    auto r = store_.apply_change(b.id, b.version, change);
    ASSERT_FALSE(r) << target->name;
    EXPECT_EQ(r.error().code, "org_cycle") << r.error().message;
  }
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(store_.get(b.id)->name, "B");
}

TEST_F(OrgChangeTest, StaleVersionIsRefusedAndChangesNothing) {
  OrgChange first;
  first.name = "B first";
  ASSERT_TRUE(store_.apply_change(b.id, b.version, first));
  auto before = snapshot();
  OrgChange second;
  second.name = "B second";
  second.parent_id = c.id;
  auto r = store_.apply_change(b.id, b.version, second);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "org_version_conflict");
  EXPECT_NE(r.error().message.find("version 2"), std::string::npos) << r.error().message;
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(store_.get(b.id)->name, "B first");
}

TEST_F(OrgChangeTest, RefusedChangesLeaveEverythingAsItWas) {
  auto before = snapshot();
  struct Case {
    std::string id;
    OrgChange change;
    const char* code;
  };
  std::vector<Case> cases;
  cases.push_back({b.id, {}, "org_change_empty"});
  cases.push_back({"31337", {.name = "x"}, "org_not_found"});
  cases.push_back({b.id, {.credit_code = c.credit_code}, "credit_code_taken"});
  cases.push_back({b.id, {.credit_code = "not a code"}, "credit_code_invalid"});
  cases.push_back({b.id, {.name = ""}, "org_name_invalid"});
  cases.push_back({b.id, {.region = "1234567"}, "org_region_invalid"});
  cases.push_back({b.id, {.parent_id = "31337"}, "org_parent_not_found"});
  cases.push_back({b.id, {.name = "x", .parent_id = b.id}, "org_cycle"});
  for (const auto& c : cases) {
    auto r = store_.apply_change(c.id, 1, c.change);
    ASSERT_FALSE(r) << c.code;
    EXPECT_EQ(r.error().code, c.code) << r.error().message;
  }
  EXPECT_EQ(snapshot(), before);
}

// Two reviewers applying changes read at the same version: one wins, the
// other is told to reload, and the loser's change is not half-applied.
TEST_F(OrgChangeTest, ConcurrentChangesAtOneVersionHaveExactlyOneWinner) {
  constexpr int kThreads = 6;
  std::atomic<int> won{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      OrgChange change;
      change.name = "E" + std::to_string(i);
      change.credit_code = test_code(700 + i);
      change.parent_id = i % 2 == 0 ? c.id : f.id;
      auto r = store_.apply_change(e.id, e.version, change);
      if (r) {
        ++won;
      } else if (r.error().code == "org_version_conflict") {
        ++conflicts;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  auto now = store_.get(e.id);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->version, e.version + 1);
  int winner = std::stoi(now->name.substr(1));
  EXPECT_EQ(now->credit_code, test_code(700 + winner));
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_EQ(store_.get_by_credit_code(test_code(700 + i)).has_value(), i == winner) << i;
  }
  EXPECT_EQ(*store_.ancestors(e.id),
            winner % 2 == 0 ? (Names{c.id, a.id}) : (Names{f.id, c.id, a.id}));
  EXPECT_EQ(children(b.id), (Names{"D"}));
}

TEST_F(OrgChangeTest, KeepingOwnCodeIsNotAConflict) {
  OrgChange change;
  change.credit_code = b.credit_code;
  change.region = "330100";
  auto r = store_.apply_change(b.id, b.version, change);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->region, "330100");
  EXPECT_EQ(store_.get_by_credit_code(b.credit_code)->id, b.id);
}

}  // namespace
}  // namespace seald::orgs
