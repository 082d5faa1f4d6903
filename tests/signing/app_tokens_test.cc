// App access tokens against a real redis-server: issued on one node,
// resolved on any, expiring, and never stored in clear.

#include <filesystem>
#include <thread>

#include "signing/app_tokens.h"
#include "tests/signing/signing_fixture.h"
#include "tests/support/temp_dir.h"

namespace seald::signing::testing {
namespace {

const std::string kApp = "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a";

std::string code_of(const Result<TokenOwner>& r) {
  return r ? "ok" : r.error().code;
}

TEST_F(SigningTest, AnIssuedTokenResolvesToItsAppOnAnyNode) {
  AppTokens here(cache_pool_);
  auto issued = here.issue(kApp);
  ASSERT_TRUE(issued);
  EXPECT_EQ(issued->expires_in_s, 3600);
  std::string_view token = issued->access_token.reveal();
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string_view::npos);

  auto owner = here.resolve(token);
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->app_id, kApp);
  EXPECT_NEAR(static_cast<double>(owner->expires_ms), static_cast<double>(now_ms() + 3600'000),
              5000.0);

  AppTokens elsewhere(other_pool_);
  auto there = elsewhere.resolve(token);
  ASSERT_TRUE(there);
  EXPECT_EQ(there->app_id, kApp);
  EXPECT_NEAR(static_cast<double>(there->expires_ms), static_cast<double>(owner->expires_ms),
              5000.0);

  auto second = here.issue(kApp);
  ASSERT_TRUE(second);
  EXPECT_NE(second->access_token.reveal(), token);
}

TEST_F(SigningTest, UnknownAndMalformedTokensAreInvalid) {
  AppTokens tokens(cache_pool_);
  ASSERT_TRUE(tokens.issue(kApp));
  EXPECT_EQ(code_of(tokens.resolve("")), "token_invalid");
  EXPECT_EQ(code_of(tokens.resolve("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")),
            "token_invalid");
  EXPECT_EQ(code_of(tokens.resolve(std::string(5000, 'x'))), "token_invalid");
  EXPECT_FALSE(tokens.issue(""));
}

TEST_F(SigningTest, ATokenStopsWorkingWhenItsTimeIsUp) {
  AppTokens here(cache_pool_, std::chrono::seconds(1));
  auto issued = here.issue(kApp);
  ASSERT_TRUE(issued);
  EXPECT_EQ(issued->expires_in_s, 1);
  std::string token(issued->access_token.reveal());
  EXPECT_TRUE(here.resolve(token));
  std::this_thread::sleep_for(1200ms);
  EXPECT_EQ(code_of(here.resolve(token)), "token_expired");
  // A node that never saw it finds nothing left in Redis.
  AppTokens elsewhere(other_pool_);
  EXPECT_EQ(code_of(elsewhere.resolve(token)), "token_invalid");
}

TEST_F(SigningTest, RedisNeverHoldsATokenInClear) {
  AppTokens tokens(cache_pool_);
  std::vector<std::string> issued;
  for (int i = 0; i < 3; ++i) {
    auto t = tokens.issue(kApp);
    ASSERT_TRUE(t);
    issued.emplace_back(t->access_token.reveal());
  }
  std::string everything;
  auto keys = redis({"KEYS", "*"});
  EXPECT_EQ(keys.size(), 3u);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    std::string key(keys.element(i)->str, keys.element(i)->len);
    EXPECT_TRUE(key.starts_with("seald:tokens:")) << key;
    EXPECT_EQ(key.size(), std::string("seald:tokens:").size() + 64);
    EXPECT_EQ(redis({"GET", key}).str(), kApp);
    auto ttl = redis({"TTL", key}).integer();
    EXPECT_GT(ttl, 3500);
    EXPECT_LE(ttl, 3600);
    everything += key + "\n";
  }
  std::this_thread::sleep_for(300ms);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(server_.dir())) {
    if (entry.is_regular_file()) {
      everything += seald::testing::read_file(entry.path().string());
    }
  }
  everything += seald::testing::read_file(server_.log_file());
  EXPECT_NE(everything.find(kApp), std::string::npos);  // the files were really read
  for (const auto& token : issued) {
    EXPECT_EQ(everything.find(token), std::string::npos);
  }
}

TEST_F(SigningTest, AResolvedTokenNeedsNoMoreRedis) {
  AppTokens issuer(other_pool_);
  auto issued = issuer.issue(kApp);
  ASSERT_TRUE(issued);
  std::string token(issued->access_token.reveal());
  AppTokens here(cache_pool_);
  ASSERT_TRUE(here.resolve(token));
  server_.stop();
  auto owner = here.resolve(token);
  ASSERT_TRUE(owner) << owner.error().code;
  EXPECT_EQ(owner->app_id, kApp);
  // A node that has not seen the token needs Redis, and says so.
  AppTokens cold(cache_pool_);
  EXPECT_EQ(code_of(cold.resolve(token)), "redis_unavailable");
}

}  // namespace
}  // namespace seald::signing::testing
