#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "identity/keys.h"
#include "tests/identity/identity_fixture.h"

namespace seald::identity::testing {
namespace {

const std::string kMobile = "13812345678";
const std::string kPassword = "s3cret-Passw0rd";

std::string id_number(const char* seq = "123") {
  return make_id_number("110101", "19900307", seq);
}

TEST_F(IdentityTest, RegistersWithTheCodeSentToTheMobile) {
  auto user = register_person("张三", id_number(), kMobile, kPassword);
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_FALSE(user->id.empty());
  EXPECT_EQ(user->name, "张三");
  EXPECT_EQ(user->mobile, kMobile);
  EXPECT_EQ(user->id_number, id_number());
  EXPECT_EQ(user->version, 1);
  EXPECT_GT(user->created_ms, 0);
  auto read = id->users().get(user->id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->name, "张三");
  auto page = id->users().list(0, 10);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 1u);
}

TEST_F(IdentityTest, AWrongCodeIsRefusedAndCreatesNoUser) {
  ASSERT_TRUE(id->codes().send(CodePurpose::register_account, kMobile));
  std::string right = sender.last(kMobile, CodePurpose::register_account);
  std::string wrong = right == "000000" ? "000001" : "000000";
  auto user = id->users().register_user({"张三", id_number(), kMobile, Secret(kPassword), wrong});
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().code, "code_invalid");
  EXPECT_EQ(server.cli({"HLEN", std::string(keys::kMobileIndex)}), "0");
  // The right code still works after one wrong try.
  EXPECT_TRUE(id->users().register_user({"张三", id_number(), kMobile, Secret(kPassword), right}));
}

TEST_F(IdentityTest, ACodeIsSingleUse) {
  ASSERT_TRUE(register_person("张三", id_number(), kMobile, kPassword));
  std::string used = sender.last(kMobile, CodePurpose::register_account);
  // Same code, another person: refused because the code was consumed.
  auto again =
      id->users().register_user({"李四", id_number("456"), kMobile, Secret(kPassword), used});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "code_invalid");
}

TEST_F(IdentityTest, AnExpiredCodeIsRefused) {
  auto options = fast_options();
  options.codes.ttl = std::chrono::milliseconds(200);
  rebuild(options);
  ASSERT_TRUE(id->codes().send(CodePurpose::register_account, kMobile));
  std::string code = sender.last(kMobile, CodePurpose::register_account);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  auto user = id->users().register_user({"张三", id_number(), kMobile, Secret(kPassword), code});
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().code, "code_invalid");
}

TEST_F(IdentityTest, ACodeForAnotherPurposeIsRefused) {
  ASSERT_TRUE(id->codes().send(CodePurpose::change_mobile, kMobile));
  auto user = id->users().register_user({"张三", id_number(), kMobile, Secret(kPassword),
                                         sender.last(kMobile, CodePurpose::change_mobile)});
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().code, "code_invalid");
}

TEST_F(IdentityTest, FiveWrongAttemptsKillTheCode) {
  ASSERT_TRUE(id->codes().send(CodePurpose::register_account, kMobile));
  std::string right = sender.last(kMobile, CodePurpose::register_account);
  std::string wrong = right == "000000" ? "000001" : "000000";
  for (int i = 0; i < 5; ++i) {
    auto r = id->users().register_user({"张三", id_number(), kMobile, Secret(kPassword), wrong});
    ASSERT_EQ(r.error().code, "code_invalid");
  }
  auto r = id->users().register_user({"张三", id_number(), kMobile, Secret(kPassword), right});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "code_attempts_exceeded");
}

TEST_F(IdentityTest, ResendingIsThrottled) {
  auto options = fast_options();
  options.codes.resend_interval = std::chrono::milliseconds(300);
  rebuild(options);
  ASSERT_TRUE(id->codes().send(CodePurpose::register_account, kMobile));
  auto again = id->codes().send(CodePurpose::register_account, kMobile);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "code_throttled");
  EXPECT_EQ(sender.sent(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_TRUE(id->codes().send(CodePurpose::register_account, kMobile));
  EXPECT_EQ(sender.sent(), 2);
}

TEST_F(IdentityTest, AFailedSendLeavesNoCodeAndNoThrottle) {
  auto options = fast_options();
  options.codes.resend_interval = std::chrono::seconds(60);
  rebuild(options);
  sender.fail = true;
  auto s = id->codes().send(CodePurpose::register_account, kMobile);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "code_send_failed");
  sender.fail = false;
  EXPECT_TRUE(id->codes().send(CodePurpose::register_account, kMobile));
}

TEST_F(IdentityTest, InvalidFieldsAreRefusedBeforeAnyCodeIsSpent) {
  ASSERT_TRUE(id->codes().send(CodePurpose::register_account, kMobile));
  std::string code = sender.last(kMobile, CodePurpose::register_account);
  auto& users = id->users();
  EXPECT_EQ(users.register_user({"", id_number(), kMobile, Secret(kPassword), code}).error().code,
            "name_invalid");
  std::string good = id_number();
  std::string bad_check = good.substr(0, 17) + (good.back() == '0' ? "1" : "0");
  EXPECT_EQ(users.register_user({"张三", bad_check, kMobile, Secret(kPassword), code}).error().code,
            "id_number_invalid");
  EXPECT_EQ(users.register_user({"张三", id_number(), "1381234567", Secret(kPassword), code})
                .error()
                .code,
            "mobile_invalid");
  EXPECT_EQ(
      users.register_user({"张三", id_number(), kMobile, Secret("password"), code}).error().code,
      "password_weak");
  EXPECT_TRUE(users.register_user({"张三", id_number(), kMobile, Secret(kPassword), code}));
}

TEST_F(IdentityTest, MobileAndIdNumberAreEachUnique) {
  ASSERT_TRUE(register_person("张三", id_number(), kMobile, kPassword));
  auto same_mobile = register_person("李四", id_number("456"), kMobile, kPassword);
  ASSERT_FALSE(same_mobile);
  EXPECT_EQ(same_mobile.error().code, "mobile_taken");
  auto same_id = register_person("李四", id_number(), "13900000000", kPassword);
  ASSERT_FALSE(same_id);
  EXPECT_EQ(same_id.error().code, "id_number_taken");
  // The refused registration left its code usable for a corrected attempt.
  EXPECT_TRUE(
      id->users().register_user({"李四", id_number("456"), "13900000000", Secret(kPassword),
                                 sender.last("13900000000", CodePurpose::register_account)}));
}

TEST_F(IdentityTest, ConcurrentRegistrationsWithOneIdNumberHaveOneWinner) {
  constexpr int kThreads = 6;
  std::vector<std::string> mobiles, codes;
  for (int i = 0; i < kThreads; ++i) {
    mobiles.push_back("1380000000" + std::to_string(i));
    ASSERT_TRUE(id->codes().send(CodePurpose::register_account, mobiles.back()));
    codes.push_back(sender.last(mobiles.back(), CodePurpose::register_account));
  }
  std::latch start(kThreads);
  std::vector<std::string> outcomes(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto r =
          id->users().register_user({"张三", id_number(), mobiles[i], Secret(kPassword), codes[i]});
      outcomes[i] = r ? "ok" : r.error().code;
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "ok"), 1);
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "id_number_taken"), kThreads - 1);
  EXPECT_EQ(server.cli({"ZCARD", std::string(keys::kUsers)}), "1");
  EXPECT_EQ(server.cli({"HLEN", std::string(keys::kMobileIndex)}), "1");
}

TEST_F(IdentityTest, ConcurrentRegistrationsWithOneMobileHaveOneWinner) {
  ASSERT_TRUE(id->codes().send(CodePurpose::register_account, kMobile));
  std::string code = sender.last(kMobile, CodePurpose::register_account);
  constexpr int kThreads = 6;
  std::latch start(kThreads);
  std::vector<std::string> outcomes(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto r = id->users().register_user({"张三", id_number(("10" + std::to_string(i)).c_str()),
                                          kMobile, Secret(kPassword), code});
      outcomes[i] = r ? "ok" : r.error().code;
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), "ok"), 1);
  EXPECT_EQ(server.cli({"ZCARD", std::string(keys::kUsers)}), "1");
  EXPECT_EQ(server.cli({"HLEN", std::string(keys::kIdNumberIndex)}), "1");
}

}  // namespace
}  // namespace seald::identity::testing
