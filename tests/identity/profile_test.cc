#include <gtest/gtest.h>

#include "identity/keys.h"
#include "tests/identity/identity_fixture.h"

namespace seald::identity::testing {
namespace {

const std::string kMobile = "13812345678";
const std::string kNewMobile = "15900001111";
const std::string kPassword = "s3cret-Passw0rd";

class ProfileTest : public IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    auto u =
        register_person("张三", make_id_number("110101", "19900307", "123"), kMobile, kPassword);
    ASSERT_TRUE(u) << u.error().message;
    user = *u;
  }
  std::string change_code(const std::string& mobile) {
    EXPECT_TRUE(id->codes().send(CodePurpose::change_mobile, mobile));
    return sender.last(mobile, CodePurpose::change_mobile);
  }
  User user;
};

TEST_F(ProfileTest, EditingTheNameBumpsTheVersion) {
  auto edited = id->users().update_name(user.id, user.version, "张三丰");
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_EQ(edited->name, "张三丰");
  EXPECT_EQ(edited->version, user.version + 1);
  EXPECT_EQ(id->users().get(user.id)->name, "张三丰");
}

TEST_F(ProfileTest, AStaleVersionIsAConflictAndChangesNothing) {
  ASSERT_TRUE(id->users().update_name(user.id, user.version, "张三丰"));
  auto stale = id->users().update_name(user.id, user.version, "王五");
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, "user_version_conflict");
  EXPECT_EQ(id->users().get(user.id)->name, "张三丰");
}

TEST_F(ProfileTest, UnknownUserAndBadNameAreRefused) {
  EXPECT_EQ(id->users().get("u999").error().code, "user_not_found");
  EXPECT_EQ(id->users().update_name("u999", 1, "x").error().code, "user_not_found");
  EXPECT_EQ(id->users().update_name(user.id, user.version, " ").error().code, "name_invalid");
}

TEST_F(ProfileTest, ChangingTheMobileNeedsACodeSentToTheNewNumber) {
  std::string code = change_code(kNewMobile);
  auto changed = id->users().change_mobile(user.id, user.version, kNewMobile, code);
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->mobile, kNewMobile);
  EXPECT_EQ(changed->version, user.version + 1);
  // Login follows the number; the old one is free for someone else.
  EXPECT_TRUE(id->sessions().login(kNewMobile, Secret(kPassword)));
  EXPECT_EQ(id->sessions().login(kMobile, Secret(kPassword)).error().code, "invalid_credentials");
  EXPECT_TRUE(
      register_person("李四", make_id_number("110101", "19900307", "456"), kMobile, kPassword));
}

TEST_F(ProfileTest, ChangingTheMobileIsRefusedWithoutChangeForBadInput) {
  // A register code does not authorise a mobile change.
  ASSERT_TRUE(id->codes().send(CodePurpose::register_account, kNewMobile));
  auto wrong_purpose = id->users().change_mobile(
      user.id, user.version, kNewMobile, sender.last(kNewMobile, CodePurpose::register_account));
  EXPECT_EQ(wrong_purpose.error().code, "code_invalid");

  std::string code = change_code(kNewMobile);
  EXPECT_EQ(id->users().change_mobile(user.id, user.version + 5, kNewMobile, code).error().code,
            "user_version_conflict");
  EXPECT_EQ(id->users().change_mobile(user.id, user.version, kMobile, code).error().code,
            "mobile_unchanged");
  EXPECT_EQ(id->users().change_mobile(user.id, user.version, "2590000111", code).error().code,
            "mobile_invalid");
  auto current = id->users().get(user.id);
  EXPECT_EQ(current->mobile, kMobile);
  EXPECT_EQ(current->version, user.version);
  // The code survived the refused attempts.
  EXPECT_TRUE(id->users().change_mobile(user.id, user.version, kNewMobile, code));
}

TEST_F(ProfileTest, AMobileOfAnotherUserCannotBeTaken) {
  ASSERT_TRUE(
      register_person("李四", make_id_number("110101", "19900307", "456"), kNewMobile, kPassword));
  std::string code = change_code(kNewMobile);
  auto r = id->users().change_mobile(user.id, user.version, kNewMobile, code);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "mobile_taken");
  EXPECT_EQ(id->users().get(user.id)->mobile, kMobile);
}

}  // namespace
}  // namespace seald::identity::testing
