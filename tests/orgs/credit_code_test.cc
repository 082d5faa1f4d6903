#include "orgs/credit_code.h"

#include <gtest/gtest.h>

namespace seald::orgs {
namespace {

std::string with_check(const std::string& body) {
  auto check = credit_code_check_character(body);
  EXPECT_TRUE(check) << check.error().message;
  return body + *check;
}

// Worked by hand from the GB 32100 weights, independently of the code:
// a single non-zero character contributes value x weight to the sum, and the
// check is (31 - sum mod 31) mod 31 in the alphabet 0-9ABCDEFGHJKLMNPQRTUWXY.
TEST(CreditCode, CheckCharacterMatchesHandComputedExamples) {
  EXPECT_EQ(*credit_code_check_character("00000000000000000"), '0');  // sum 0
  EXPECT_EQ(*credit_code_check_character("10000000000000000"), 'Y');  // 1*1 -> 30
  EXPECT_EQ(*credit_code_check_character("01000000000000000"), 'W');  // 1*3 -> 28
  EXPECT_EQ(*credit_code_check_character("A0000000000000000"), 'M');  // 10*1 -> 21
  EXPECT_EQ(*credit_code_check_character("00000000000000001"), '3');  // 1*28 -> 3
  EXPECT_EQ(*credit_code_check_character("00000000000000002"), '6');  // 56 mod 31 = 25 -> 6
  EXPECT_EQ(*credit_code_check_character("00020000000000000"), '8');  // 2*27=54 -> 23 -> 8
}

TEST(CreditCode, ValidCodeIsAcceptedAndCanonicalised) {
  std::string code = with_check("91330100MA2ABCDE1");
  auto parsed = parse_credit_code(code);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, code);

  std::string lower = code;
  for (char& c : lower) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto from_lower = parse_credit_code(lower);
  ASSERT_TRUE(from_lower) << from_lower.error().message;
  EXPECT_EQ(*from_lower, code);
}

TEST(CreditCode, WrongLengthIsRefusedNamingTheLength) {
  std::string code = with_check("91330100MA2ABCDE1");
  for (const std::string& bad : {std::string(), code.substr(0, 17), code + "0"}) {
    auto r = parse_credit_code(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, "credit_code_invalid");
    EXPECT_NE(r.error().message.find("18 characters"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("got " + std::to_string(bad.size())), std::string::npos);
  }
}

TEST(CreditCode, ForbiddenCharactersAreRefusedNamingThePosition) {
  std::string code = with_check("91330100MA2ABCDE1");
  for (char c : {'I', 'O', 'S', 'V', 'Z', '-', ' '}) {
    std::string bad = code;
    bad[5] = c;
    auto r = parse_credit_code(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, "credit_code_invalid");
    EXPECT_NE(r.error().message.find("position 6"), std::string::npos) << r.error().message;
  }
  std::string utf8 = code.substr(0, 15) + "\xE4\xB8";  // two bytes of a Chinese character
  utf8 += code.back();
  auto r = parse_credit_code(utf8);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("position 16"), std::string::npos) << r.error().message;
}

TEST(CreditCode, WrongCheckCharacterIsRefused) {
  std::string code = with_check("91330100MA2ABCDE1");
  code[17] = code[17] == '0' ? '1' : '0';
  auto r = parse_credit_code(code);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "credit_code_invalid");
  EXPECT_NE(r.error().message.find("check character"), std::string::npos) << r.error().message;
}

// 31 is prime and no weight is a multiple of it, so any one mistyped
// character must be caught: a typo never turns into another valid code.
TEST(CreditCode, EverySingleCharacterTypoIsDetected) {
  std::string code = with_check("12330000002491370");
  for (std::size_t pos = 0; pos < code.size(); ++pos) {
    for (char c : kCreditCodeAlphabet) {
      if (c == code[pos]) {
        continue;
      }
      std::string typo = code;
      typo[pos] = c;
      EXPECT_FALSE(parse_credit_code(typo)) << typo;
    }
  }
}

}  // namespace
}  // namespace seald::orgs
