// SADs against a real redis-server: what authorize stores comes back once,
// on any node, and only the hash of the SAD is in Redis.

#include "signing/signature_activation.h"

#include <thread>

#include "apps/app_secret.h"
#include "tests/signing/signing_fixture.h"

namespace seald::signing::testing {
namespace {

using SignatureActivationTest = SigningTest;

TEST_F(SignatureActivationTest, RedeemsOnceOnAnyNodeAndStoresOnlyTheHash) {
  SignatureActivations here(cache_pool_);
  SignatureActivations there(other_pool_);
  auto issued = here.issue({"app1", "3301002026000001", 2, {"ab", "cd"}});
  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_EQ(issued->expires_in_s, 300);
  std::string sad(issued->sad.reveal());

  auto key = activation_key(*apps::secret_hash(sad));
  auto ttl = redis({"TTL", key});
  EXPECT_GT(ttl.integer(), 0);
  EXPECT_LE(ttl.integer(), 300);
  EXPECT_EQ(redis({"EXISTS", "seald:sad:" + sad}).integer(), 0);

  auto redeemed = there.redeem(sad);
  ASSERT_TRUE(redeemed) << redeemed.error().message;
  EXPECT_EQ(redeemed->app_id, "app1");
  EXPECT_EQ(redeemed->credential_id, "3301002026000001");
  EXPECT_EQ(redeemed->num_signatures, 2);
  EXPECT_EQ(redeemed->hashes, (std::vector<std::string>{"ab", "cd"}));

  auto again = here.redeem(sad);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "sad_invalid");
  EXPECT_EQ(here.redeem("").error().code, "sad_invalid");
  EXPECT_EQ(here.redeem(std::string(300, 'x')).error().code, "sad_invalid");
  EXPECT_EQ(here.issue({"app1", "c", 0, {}}).error().code, "activation_invalid");
}

TEST_F(SignatureActivationTest, ExpiresWithItsLifetime) {
  SignatureActivations short_lived(cache_pool_, std::chrono::seconds(1));
  auto issued = short_lived.issue({"app1", "3301002026000001", 1, {}});
  ASSERT_TRUE(issued);
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  EXPECT_EQ(short_lived.redeem(issued->sad.reveal()).error().code, "sad_invalid");
}

}  // namespace
}  // namespace seald::signing::testing
