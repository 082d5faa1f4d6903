#pragma once

// The unified social credit code (统一社会信用代码, GB 32100-2015): 18
// characters, the 18th a check character over the first 17.

#include <string>
#include <string_view>

#include "core/error.h"

namespace seald::orgs {

// The 31 characters a code may use: digits and upper-case letters without
// I, O, Z, S and V, which are too easily confused with 1, 0, 2, 5 and U.
inline constexpr std::string_view kCreditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// Checks a code and returns it in canonical (upper-case) form; lower-case
// letters are accepted because people type them. Fails with
// credit_code_invalid, the message naming the length, the first bad
// character and its position, or the check character.
Result<std::string> parse_credit_code(std::string_view code);

// The check character for the first 17 characters of a code; fails with
// credit_code_invalid when they are not 17 characters of the alphabet.
Result<char> credit_code_check_character(std::string_view first17);

}  // namespace seald::orgs
