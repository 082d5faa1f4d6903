#include "server/request_id.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace seald::server {
namespace {

TEST(RequestId, FreshIdsAre32HexDigitsAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = new_request_id();
    ASSERT_EQ(id.size(), 32u);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RequestId, AcceptsOnlyShortSafeIds) {
  EXPECT_TRUE(valid_request_id("abc-DEF_123.x"));
  EXPECT_TRUE(valid_request_id(std::string(64, 'a')));
  EXPECT_FALSE(valid_request_id(""));
  EXPECT_FALSE(valid_request_id(std::string(65, 'a')));
  EXPECT_FALSE(valid_request_id("has space"));
  EXPECT_FALSE(valid_request_id("new\nline"));
  EXPECT_FALSE(valid_request_id("quote\""));
}

}  // namespace
}  // namespace seald::server
