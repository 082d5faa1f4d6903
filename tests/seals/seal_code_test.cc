// Seal codes: region + year + sequence, 16 digits, unique even when many
// makers ask at once; and the store refuses a second seal for one
// application or a taken code.

#include <set>
#include <thread>
#include <vector>

#include "seals/seal_code.h"
#include "seals/seal_store.h"
#include "tests/seals/seal_fixture.h"

namespace seald::seals::test {
namespace {

class SealCodes : public SealTest {};

TEST_F(SealCodes, AreRegionYearAndSequence) {
  auto first = next_seal_code(*pool_, "330100", 2026);
  auto second = next_seal_code(*pool_, "330100", 2026);
  auto other_region = next_seal_code(*pool_, "330200", 2026);
  auto next_year = next_seal_code(*pool_, "330100", 2027);
  ASSERT_TRUE(first && second && other_region && next_year);
  EXPECT_EQ(*first, "3301002026000001");
  EXPECT_EQ(*second, "3301002026000002");
  EXPECT_EQ(*other_region, "3302002026000001");
  EXPECT_EQ(*next_year, "3301002027000001");
  EXPECT_TRUE(is_seal_code(*first));
  EXPECT_FALSE(is_seal_code("330100202600001"));
  EXPECT_FALSE(is_seal_code("33010020260000a1"));
}

TEST_F(SealCodes, RefuseABadRegionAndAnExhaustedYear) {
  EXPECT_EQ(next_seal_code(*pool_, "33010", 2026).error().code, "region_invalid");
  EXPECT_EQ(next_seal_code(*pool_, "33010x", 2026).error().code, "region_invalid");
  redis_.cli({"SET", "seald:seals:seq:330100:2026", "999999"});
  EXPECT_EQ(next_seal_code(*pool_, "330100", 2026).error().code, "seal_code_exhausted");
}

TEST_F(SealCodes, AreUniqueUnderConcurrentMakers) {
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto code = next_seal_code(*pool_, "330100", 2026);
        if (code) {
          got[t].push_back(*code);
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  std::set<std::string> all;
  for (const auto& v : got) {
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), 200u);
  EXPECT_EQ(*all.rbegin(), "3301002026000200");
}

TEST_F(SealCodes, TheStoreGivesAnApplicationOneSealAndACodeOneSeal) {
  Seal seal;
  seal.code = "3301002026000001";
  seal.name = "甲";
  seal.org_id = bureau_.id;
  seal.application_id = "app-1";
  seal.applicant_id = applicant_;
  ASSERT_TRUE(seals_->store().create(seal, "<svg/>"));
  Seal same_app = seal;
  same_app.code = "3301002026000002";
  EXPECT_EQ(seals_->store().create(same_app, "").error().code, "seal_already_made");
  Seal same_code = seal;
  same_code.application_id = "app-2";
  EXPECT_EQ(seals_->store().create(same_code, "").error().code, "seal_exists");
  EXPECT_EQ(redis_.cli({"ZCARD", "seald:seals:all"}), "1");
  EXPECT_EQ(seals_->get("3301002026000002").error().code, "seal_not_found");
  EXPECT_EQ(seals_->get("../etc").error().code, "seal_not_found");
}

}  // namespace
}  // namespace seald::seals::test
