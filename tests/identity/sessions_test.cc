#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "identity/keys.h"
#include "tests/identity/identity_fixture.h"

namespace seald::identity::testing {
namespace {

const std::string kMobile = "13812345678";
const std::string kPassword = "s3cret-Passw0rd";

class SessionsTest : public IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    auto u =
        register_person("张三", make_id_number("110101", "19900307", "123"), kMobile, kPassword);
    ASSERT_TRUE(u) << u.error().message;
    user = *u;
  }
  User user;
};

TEST_F(SessionsTest, LoginResolveLogout) {
  auto session = id->sessions().login(kMobile, Secret(kPassword));
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ(session->user.id, user.id);
  EXPECT_GE(session->token.size(), 43u);  // 32 bytes in base64url
  auto resolved = id->sessions().resolve(session->token.reveal());
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->id, user.id);
  EXPECT_EQ(resolved->name, "张三");
  ASSERT_TRUE(id->sessions().logout(session->token.reveal()));
  auto after = id->sessions().resolve(session->token.reveal());
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, "session_invalid");
}

TEST_F(SessionsTest, LoginWithTheIdNumberWorksToo) {
  auto session = id->sessions().login(user.id_number, Secret(kPassword));
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ(session->user.id, user.id);
}

TEST_F(SessionsTest, EachLoginGetsItsOwnToken) {
  auto a = id->sessions().login(kMobile, Secret(kPassword));
  auto b = id->sessions().login(kMobile, Secret(kPassword));
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->token.reveal(), b->token.reveal());
  ASSERT_TRUE(id->sessions().logout(a->token.reveal()));
  EXPECT_TRUE(id->sessions().resolve(b->token.reveal()));
}

TEST_F(SessionsTest, UnknownUserAndWrongPasswordGetTheSameAnswer) {
  auto wrong = id->sessions().login(kMobile, Secret("wrong-Passw0rd"));
  auto unknown = id->sessions().login("13900000000", Secret(kPassword));
  auto garbage = id->sessions().login("not a login at all", Secret(kPassword));
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(wrong.error().code, "invalid_credentials");
  EXPECT_EQ(unknown.error().code, wrong.error().code);
  EXPECT_EQ(unknown.error().message, wrong.error().message);
  EXPECT_EQ(garbage.error().code, "invalid_credentials");
}

TEST_F(SessionsTest, AForgedOrUnknownTokenIsInvalid) {
  for (const auto& token :
       {std::string(), std::string("abc"), std::string(43, 'A'), std::string(1000, 'x')}) {
    auto r = id->sessions().resolve(token);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "session_invalid");
  }
}

TEST_F(SessionsTest, SessionsExpire) {
  auto options = fast_options();
  options.login.session_ttl = std::chrono::milliseconds(300);
  rebuild(options);
  auto session = id->sessions().login(kMobile, Secret(kPassword));
  ASSERT_TRUE(session);
  EXPECT_TRUE(id->sessions().resolve(session->token.reveal()));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(id->sessions().resolve(session->token.reveal()).error().code, "session_invalid");
}

TEST_F(SessionsTest, RepeatedFailuresLockTheAccountUntilTheLockExpires) {
  // fast_options: 3 failures lock for 500 ms.
  EXPECT_EQ(id->sessions().login(kMobile, Secret("wrong-1")).error().code, "invalid_credentials");
  EXPECT_EQ(id->sessions().login(kMobile, Secret("wrong-2")).error().code, "invalid_credentials");
  EXPECT_EQ(id->sessions().login(kMobile, Secret("wrong-3")).error().code, "account_locked");
  // Even the right password is refused while locked, and through the ID number too.
  EXPECT_EQ(id->sessions().login(kMobile, Secret(kPassword)).error().code, "account_locked");
  EXPECT_EQ(id->sessions().login(user.id_number, Secret(kPassword)).error().code, "account_locked");
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_TRUE(id->sessions().login(kMobile, Secret(kPassword)));
}

TEST_F(SessionsTest, ASuccessfulLoginResetsTheFailureCount) {
  EXPECT_FALSE(id->sessions().login(kMobile, Secret("wrong-1")));
  EXPECT_FALSE(id->sessions().login(kMobile, Secret("wrong-2")));
  EXPECT_TRUE(id->sessions().login(kMobile, Secret(kPassword)));
  EXPECT_EQ(id->sessions().login(kMobile, Secret("wrong-3")).error().code, "invalid_credentials");
  EXPECT_EQ(id->sessions().login(kMobile, Secret("wrong-4")).error().code, "invalid_credentials");
}

TEST_F(SessionsTest, UnknownLoginsLockLikeRealOnes) {
  const std::string ghost = "13900000000";
  EXPECT_EQ(id->sessions().login(ghost, Secret("wrong-1")).error().code, "invalid_credentials");
  EXPECT_EQ(id->sessions().login(ghost, Secret("wrong-2")).error().code, "invalid_credentials");
  EXPECT_EQ(id->sessions().login(ghost, Secret("wrong-3")).error().code, "account_locked");
}

std::string read_tree(const std::string& dir) {
  std::string all;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      std::ifstream in(entry.path(), std::ios::binary);
      all += std::string(std::istreambuf_iterator<char>(in), {});
    }
  }
  return all;
}

TEST_F(SessionsTest, NoPasswordTokenOrCodeReachesRedisInClear) {
  ASSERT_TRUE(id->codes().send(CodePurpose::change_mobile, "13900000000"));
  std::string pending_code = sender.last("13900000000", CodePurpose::change_mobile);
  auto session = id->sessions().login(kMobile, Secret(kPassword));
  ASSERT_TRUE(session);
  std::string token(session->token.reveal());

  std::string values = dump_all_values(server);
  ASSERT_NE(values.find(kMobile), std::string::npos) << "the scan did not see the user";
  EXPECT_EQ(values.find(kPassword), std::string::npos);
  EXPECT_EQ(values.find(token), std::string::npos);
  EXPECT_EQ(values.find(pending_code), std::string::npos);
  EXPECT_NE(values.find("$argon2id$"), std::string::npos);
  // Nor in the append-only file, which records every write as sent.
  std::string files = read_tree(server.dir());
  ASSERT_NE(files.find(kMobile), std::string::npos) << "the AOF was not read";
  EXPECT_EQ(files.find(kPassword), std::string::npos);
  EXPECT_EQ(files.find(token), std::string::npos);
  // The ID number is indexed by hash: no key name contains it.
  EXPECT_EQ(server.cli({"--scan", "--pattern", "*" + user.id_number + "*"}), "");
}

}  // namespace
}  // namespace seald::identity::testing
