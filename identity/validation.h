#pragma once

// Input rules for people: the 18-character resident ID number (GB 11643),
// mainland mobile numbers, display names and the password policy. Each
// failure has its own stable code so the UI can say what to fix.

#include <string>
#include <string_view>

#include "core/error.h"

namespace seald::identity {

// Returns the ID number in canonical form (a trailing 'x' becomes 'X'), or
// id_number_invalid with a message naming the broken rule: length,
// characters, date of birth or check digit.
Result<std::string> normalize_id_number(std::string_view id_number);

// 11 digits, 1[3-9]xxxxxxxxx; otherwise mobile_invalid.
Status validate_mobile(std::string_view mobile);

// "138****5678": what may appear in logs and messages.
std::string mask_mobile(std::string_view mobile);

// 1..64 characters of UTF-8 text without control characters, not blank;
// otherwise name_invalid.
Status validate_name(std::string_view name);

// At least 8 characters (at most 128) from at least two of: lower case,
// upper case, digits, other; otherwise password_weak. The message never
// repeats the password.
Status validate_password(std::string_view password);

}  // namespace seald::identity
