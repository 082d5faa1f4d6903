#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "tests/orgs/org_fixture.h"

namespace seald::orgs {
namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST_F(OrgStoreTest, CreatedOrganisationCanBeReadByIdAndByCreditCode) {
  auto before = wall_ms();
  auto root = store_.create({"浙江省人民政府", test_code(1), "330000", ""});
  ASSERT_TRUE(root) << root.error().message;
  auto child = store_.create({"杭州市人民政府", test_code(2), "330100", root->id});
  ASSERT_TRUE(child) << child.error().message;

  auto got = store_.get(child->id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->name, "杭州市人民政府");
  EXPECT_EQ(got->credit_code, test_code(2));
  EXPECT_EQ(got->region, "330100");
  EXPECT_EQ(got->parent_id, root->id);
  EXPECT_EQ(got->version, 1);
  EXPECT_GE(got->created_ms, before);
  EXPECT_LE(got->created_ms, wall_ms());
  EXPECT_EQ(got->updated_ms, got->created_ms);
  EXPECT_TRUE(root->is_root());
  EXPECT_NE(root->id, child->id);

  auto by_code = store_.get_by_credit_code(test_code(2));
  ASSERT_TRUE(by_code) << by_code.error().message;
  EXPECT_EQ(by_code->id, child->id);

  auto missing = store_.get_by_credit_code(test_code(3));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "org_not_found");
  EXPECT_EQ(store_.get("999").error().code, "org_not_found");
  EXPECT_EQ(store_.get("seald:orgs:paths").error().code, "org_not_found");
}

TEST_F(OrgStoreTest, RefusedCreateChangesNothing) {
  auto root = make("root");
  auto before = snapshot();
  struct Case {
    NewOrganisation org;
    const char* code;
  } cases[] = {
      {{"bad code", test_code(50).substr(0, 17) + "?", "330000", ""}, "credit_code_invalid"},
      {{"  ", test_code(51), "330000", ""}, "org_name_invalid"},
      {{"bad utf8 \xC3", test_code(52), "330000", ""}, "org_name_invalid"},
      {{"bad region", test_code(53), "33000", ""}, "org_region_invalid"},
      {{"bad region", test_code(54), "33000X", ""}, "org_region_invalid"},
      {{"orphan", test_code(55), "330000", "424242"}, "org_parent_not_found"},
      {{"taken", root.credit_code, "330000", ""}, "credit_code_taken"},
  };
  for (const auto& c : cases) {
    auto r = store_.create(c.org);
    ASSERT_FALSE(r) << c.org.name;
    EXPECT_EQ(r.error().code, c.code) << r.error().message;
  }
  EXPECT_EQ(snapshot(), before);
}

TEST_F(OrgStoreTest, ConcurrentCreatesWithOneCodeHaveExactlyOneWinner) {
  constexpr int kThreads = 8;
  std::atomic<int> won{0}, taken{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto r = store_.create({"racer " + std::to_string(i), test_code(7), "330000", ""});
      if (r) {
        ++won;
      } else if (r.error().code == "credit_code_taken") {
        ++taken;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(taken.load(), kThreads - 1);
  auto roots = store_.list_children("", 0, 100);
  ASSERT_TRUE(roots);
  EXPECT_EQ(roots->total, 1u);
  ASSERT_EQ(roots->items.size(), 1u);
  EXPECT_EQ(store_.get_by_credit_code(test_code(7))->id, roots->items[0].id);
}

// A(B(D(G), E), C(F)) and a second root R.
class OrgTreeTest : public OrgStoreTest {
 protected:
  void SetUp() override {
    a = make("A");
    b = make("B", a.id);
    c = make("C", a.id);
    d = make("D", b.id);
    e = make("E", b.id);
    f = make("F", c.id);
    g = make("G", d.id);
    r = make("R");
  }
  Organisation a, b, c, d, e, f, g, r;
};

using Names = std::vector<std::string>;

TEST_F(OrgTreeTest, ChildrenAreListedInCreationOrderWithTotals) {
  auto kids = store_.list_children(a.id, 0, 10);
  ASSERT_TRUE(kids) << kids.error().message;
  EXPECT_EQ(names(*kids), (Names{"B", "C"}));
  EXPECT_EQ(kids->total, 2u);
  auto roots = store_.list_children("", 0, 10);
  ASSERT_TRUE(roots);
  EXPECT_EQ(names(*roots), (Names{"A", "R"}));
  auto none = store_.list_children(g.id, 0, 10);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->items.empty());
  EXPECT_EQ(none->total, 0u);
  auto second = store_.list_children(b.id, 1, 1);
  ASSERT_TRUE(second);
  EXPECT_EQ(names(*second), (Names{"E"}));
  EXPECT_EQ(second->total, 2u);
  EXPECT_EQ(store_.list_children("31337", 0, 10).error().code, "org_not_found");
}

TEST_F(OrgTreeTest, SubtreeIsDepthFirstAndPaged) {
  auto all = store_.list_subtree(a.id, 0, 100);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(names(*all), (Names{"A", "B", "D", "G", "E", "C", "F"}));
  EXPECT_EQ(all->total, 7u);
  auto page = store_.list_subtree(a.id, 2, 3);
  ASSERT_TRUE(page);
  EXPECT_EQ(names(*page), (Names{"D", "G", "E"}));
  EXPECT_EQ(page->total, 7u);
  auto leaf = store_.list_subtree(g.id, 0, 100);
  ASSERT_TRUE(leaf);
  EXPECT_EQ(names(*leaf), (Names{"G"}));
  auto past_end = store_.list_subtree(b.id, 10, 10);
  ASSERT_TRUE(past_end);
  EXPECT_TRUE(past_end->items.empty());
  EXPECT_EQ(past_end->total, 4u);
  EXPECT_EQ(store_.list_subtree("31337", 0, 10).error().code, "org_not_found");
}

TEST_F(OrgTreeTest, AncestorsRunFromParentToRoot) {
  EXPECT_EQ(*store_.ancestors(g.id), (Names{d.id, b.id, a.id}));
  EXPECT_EQ(*store_.ancestors(c.id), (Names{a.id}));
  EXPECT_TRUE(store_.ancestors(a.id)->empty());
  EXPECT_EQ(store_.ancestors("31337").error().code, "org_not_found");
}

TEST_F(OrgTreeTest, SubtreeMembershipFollowsTheTree) {
  EXPECT_TRUE(*store_.is_in_subtree(g.id, a.id));
  EXPECT_TRUE(*store_.is_in_subtree(g.id, b.id));
  EXPECT_TRUE(*store_.is_in_subtree(b.id, b.id));
  EXPECT_FALSE(*store_.is_in_subtree(f.id, b.id));
  EXPECT_FALSE(*store_.is_in_subtree(a.id, b.id));
  EXPECT_FALSE(*store_.is_in_subtree(g.id, r.id));
  EXPECT_EQ(store_.is_in_subtree(g.id, "31337").error().code, "org_not_found");
}

TEST_F(OrgStoreTest, PageSizeIsCappedAtOneHundred) {
  auto root = make("root");
  for (int i = 0; i < 105; ++i) {
    make("child " + std::to_string(i), root.id);
  }
  auto page = store_.list_children(root.id, 0, 1000);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->items.size(), kMaxPageSize);
  EXPECT_EQ(page->total, 105u);
  auto rest = store_.list_children(root.id, 100, 1000);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->items.size(), 5u);
  EXPECT_EQ(rest->items.back().name, "child 104");
  auto sub = store_.list_subtree(root.id, 0, 1000);
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->items.size(), kMaxPageSize);
  EXPECT_EQ(sub->total, 106u);
}

}  // namespace
}  // namespace seald::orgs
