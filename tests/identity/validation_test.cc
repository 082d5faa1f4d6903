#include <gtest/gtest.h>

#include "identity/validation.h"
#include "tests/identity/identity_fixture.h"

namespace seald::identity {
namespace {

using testing::make_id_number;

TEST(IdNumber, AcceptsNumbersWithACorrectCheckCharacter) {
  for (const auto& seq : {"001", "123", "457", "999", "018", "300"}) {
    std::string id = make_id_number("110101", "19900307", seq);
    auto n = normalize_id_number(id);
    ASSERT_TRUE(n) << id << ": " << n.error().message;
    EXPECT_EQ(*n, id);
  }
}

TEST(IdNumber, ALowerCaseXIsNormalisedToUpperCase) {
  // Search for a sequence whose check character is X so the case is covered.
  for (int seq = 0; seq < 1000; ++seq) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%03d", seq);
    std::string id = make_id_number("320102", "19851231", buf);
    if (id.back() == 'X') {
      std::string lower = id.substr(0, 17) + "x";
      auto n = normalize_id_number(lower);
      ASSERT_TRUE(n) << n.error().message;
      EXPECT_EQ(*n, id);
      return;
    }
  }
  FAIL() << "no sequence with check character X";
}

TEST(IdNumber, WrongLengthIsNamed) {
  auto n = normalize_id_number("11010119900307123");
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, "id_number_invalid");
  EXPECT_NE(n.error().message.find("length"), std::string::npos);
}

TEST(IdNumber, BadCharactersAreNamed) {
  std::string id = make_id_number("110101", "19900307", "123");
  std::string letter = id;
  letter[3] = 'A';
  std::string bad_last = id.substr(0, 17) + "Y";
  for (const auto& candidate : {letter, bad_last}) {
    auto n = normalize_id_number(candidate);
    ASSERT_FALSE(n) << candidate;
    EXPECT_EQ(n.error().code, "id_number_invalid");
    EXPECT_NE(n.error().message.find("characters"), std::string::npos) << n.error().message;
  }
}

TEST(IdNumber, ImpossibleOrFutureBirthDatesAreNamed) {
  // Check characters are right, so only the date can be the reason.
  for (const auto& birth : {"19900230", "19901301", "18991231", "20990101", "19900007"}) {
    auto n = normalize_id_number(make_id_number("110101", birth, "123"));
    ASSERT_FALSE(n) << birth;
    EXPECT_EQ(n.error().code, "id_number_invalid");
    EXPECT_NE(n.error().message.find("date"), std::string::npos) << n.error().message;
  }
  EXPECT_TRUE(normalize_id_number(make_id_number("110101", "20000229", "123")));  // leap day
}

TEST(IdNumber, AWrongCheckCharacterIsNamed) {
  std::string id = make_id_number("110101", "19900307", "123");
  std::string wrong = id.substr(0, 17) + (id.back() == '0' ? "1" : "0");
  auto n = normalize_id_number(wrong);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, "id_number_invalid");
  EXPECT_NE(n.error().message.find("check digit"), std::string::npos);
  // A single changed digit in the body is caught by the check character too.
  std::string typo = id;
  typo[16] = typo[16] == '9' ? '8' : static_cast<char>(typo[16] + 1);
  EXPECT_FALSE(normalize_id_number(typo));
}

TEST(Mobile, AcceptsMainlandNumbers) {
  for (const auto& m : {"13800138000", "15912345678", "19999999999", "17000000001"}) {
    EXPECT_TRUE(validate_mobile(m)) << m;
  }
}

TEST(Mobile, RejectsEverythingElse) {
  for (const auto& m : {"1380013800", "138001380001", "12800138000", "23800138000", "1380013800a",
                        "+8613800138", ""}) {
    auto s = validate_mobile(m);
    ASSERT_FALSE(s) << m;
    EXPECT_EQ(s.error().code, "mobile_invalid");
  }
}

TEST(Mobile, MaskKeepsOnlyPrefixAndLastFour) {
  EXPECT_EQ(mask_mobile("13812345678"), "138****5678");
}

TEST(Password, PolicyNeedsLengthAndTwoClasses) {
  EXPECT_TRUE(validate_password("correct1horse"));
  EXPECT_TRUE(validate_password("Abcdefgh"));
  for (const auto& weak : {"abc12", "abcdefghij", "1234567890", "ABCDEFGHIJ"}) {
    auto s = validate_password(weak);
    ASSERT_FALSE(s) << weak;
    EXPECT_EQ(s.error().code, "password_weak");
    EXPECT_EQ(s.error().message.find(weak), std::string::npos) << "message repeats the password";
  }
}

TEST(Name, AcceptsChineseNamesAndRejectsBlankOrControl) {
  EXPECT_TRUE(validate_name("张三"));
  EXPECT_FALSE(validate_name("   "));
  EXPECT_FALSE(validate_name(""));
  EXPECT_FALSE(validate_name("a\nb"));
  EXPECT_EQ(validate_name(std::string(65, 'a')).error().code, "name_invalid");
  std::string sixty_four_chinese;
  for (int i = 0; i < 64; ++i) {
    sixty_four_chinese += "李";
  }
  EXPECT_TRUE(validate_name(sixty_four_chinese));  // counted in characters, not bytes
}

}  // namespace
}  // namespace seald::identity
