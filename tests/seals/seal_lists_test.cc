// The seal lists: an applicant's own seals, and the seals of an org subtree
// (what an org seal admin manages), newest first, paged.

#include "tests/seals/seal_fixture.h"

namespace seald::seals::test {
namespace {

class SealLists : public SealTest {};

TEST_F(SealLists, ByApplicantAndBySubtree) {
  auto office = make_org("杭州市数据资源管理局办公室", bureau_.id);
  auto other = make_org("宁波市人民政府", "");
  std::vector<std::string> codes;
  struct Want {
    std::string name, org;
  };
  for (const auto& w : std::vector<Want>{{"城市章", city_.id},
                                         {"局章", bureau_.id},
                                         {"办公室章", office.id},
                                         {"宁波章", other.id}}) {
    auto app = pending_make(w.name, "ukey", "business", w.org);
    auto seal = seals_->make(app.id, app.version, "user-operator");
    ASSERT_TRUE(seal) << seal.error().code;
    codes.push_back(seal->code);
  }

  auto mine = seals_->list_by_applicant(applicant_, 0, 10);
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->total, 4u);
  ASSERT_EQ(mine->items.size(), 4u);
  EXPECT_EQ(mine->items.front().code, codes.back());  // newest first
  auto page = seals_->list_by_applicant(applicant_, 1, 2);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 4u);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].code, codes[2]);
  EXPECT_EQ(seals_->list_by_applicant("someone-else", 0, 10)->total, 0u);

  auto bureau_tree = seals_->list_in_subtree(bureau_.id, 0, 10);
  ASSERT_TRUE(bureau_tree);
  EXPECT_EQ(bureau_tree->total, 2u);
  std::set<std::string> names;
  for (const auto& s : bureau_tree->items) {
    names.insert(s.name);
  }
  EXPECT_EQ(names, (std::set<std::string>{"局章", "办公室章"}));
  EXPECT_EQ(seals_->list_in_subtree(city_.id, 0, 10)->total, 3u);
  EXPECT_EQ(seals_->list_in_subtree(other.id, 0, 10)->total, 1u);
  EXPECT_EQ(seals_->list_in_subtree("no-such-org", 0, 10).error().code, "org_not_found");
}

}  // namespace
}  // namespace seald::seals::test
