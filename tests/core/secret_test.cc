#include <gtest/gtest.h>

#include "core/secret.h"
#include "tests/support/temp_dir.h"

namespace seald {
namespace {

TEST(Secret, ComparesByContent) {
  Secret a("1234"), b("1234"), c("1235");
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == c);
  EXPECT_FALSE(a.equals("123"));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
}

TEST(Secret, MovedFromIsEmpty) {
  Secret a("value");
  Secret b(std::move(a));
  EXPECT_EQ(b.reveal(), "value");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): wiping is the point
}

TEST(Secret, FromFileDropsTrailingNewlineAndRequiresPrivateMode) {
  testing::TempDir dir;
  testing::write_file(dir.file("pin"), "987654\n", 0600);
  auto s = Secret::from_file(dir.file("pin"));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->reveal(), "987654");

  testing::write_file(dir.file("open"), "987654\n", 0644);
  auto open = Secret::from_file(dir.file("open"));
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().code, "secret_file_mode");
  EXPECT_EQ(open.error().message.find("987654"), std::string::npos);

  auto missing = Secret::from_file(dir.file("nope"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "secret_file_missing");
}

}  // namespace
}  // namespace seald
