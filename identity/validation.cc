#include "identity/validation.h"

#include <array>
#include <chrono>

namespace seald::identity {
namespace {

constexpr std::array<int, 17> kWeights{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckChars = "10X98765432";
constexpr int kEarliestBirthYear = 1900;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int digits_value(std::string_view s) {
  int v = 0;
  for (char c : s) {
    v = v * 10 + (c - '0');
  }
  return v;
}

Error id_invalid(const std::string& why) {
  return make_error("id_number_invalid", "resident ID number: " + why);
}

// The date of birth must exist and not lie in the future; the calendar check
// catches most mistyped numbers before the check digit does.
bool plausible_birth_date(int year, int month, int day) {
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                     std::chrono::day{static_cast<unsigned>(day)}};
  if (year < kEarliestBirthYear || !ymd.ok()) {
    return false;
  }
  auto today = floor<days>(system_clock::now());
  return sys_days{ymd} <= today;
}

}  // namespace

Result<std::string> normalize_id_number(std::string_view id_number) {
  if (id_number.size() != 18) {
    return id_invalid("length must be 18 characters, got " + std::to_string(id_number.size()));
  }
  std::string id(id_number);
  if (id[17] == 'x') {
    id[17] = 'X';
  }
  for (std::size_t i = 0; i < 17; ++i) {
    if (!is_digit(id[i])) {
      return id_invalid("characters: the first 17 must be digits");
    }
  }
  if (!is_digit(id[17]) && id[17] != 'X') {
    return id_invalid("characters: the last must be a digit or X");
  }
  std::string_view v(id);
  if (!plausible_birth_date(digits_value(v.substr(6, 4)), digits_value(v.substr(10, 2)),
                            digits_value(v.substr(12, 2)))) {
    return id_invalid("date of birth (characters 7-14) is not a plausible date");
  }
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    sum += (id[i] - '0') * kWeights[i];
  }
  if (kCheckChars[sum % 11] != id[17]) {
    return id_invalid("check digit does not match");
  }
  return id;
}

Status validate_mobile(std::string_view mobile) {
  if (mobile.size() != 11) {
    return make_error("mobile_invalid", "mobile number must have 11 digits");
  }
  for (char c : mobile) {
    if (!is_digit(c)) {
      return make_error("mobile_invalid", "mobile number must have digits only");
    }
  }
  if (mobile[0] != '1' || mobile[1] < '3') {
    return make_error("mobile_invalid", "mobile number must start with 13-19");
  }
  return {};
}

std::string mask_mobile(std::string_view mobile) {
  if (mobile.size() < 7) {
    return std::string(mobile.size(), '*');
  }
  return std::string(mobile.substr(0, 3)) + "****" + std::string(mobile.substr(mobile.size() - 4));
}

Status validate_name(std::string_view name) {
  std::size_t chars = 0;
  bool blank = true;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) {
      return make_error("name_invalid", "name must not contain control characters");
    }
    if ((c & 0xC0) != 0x80) {
      ++chars;  // count code points, not bytes: Chinese names are 3 bytes a character
    }
    if (c != ' ') {
      blank = false;
    }
  }
  if (blank) {
    return make_error("name_invalid", "name must not be empty");
  }
  if (chars > 64) {
    return make_error("name_invalid", "name must have at most 64 characters");
  }
  return {};
}

Status validate_password(std::string_view password) {
  if (password.size() < 8) {
    return make_error("password_weak", "password must have at least 8 characters");
  }
  if (password.size() > 128) {
    return make_error("password_weak", "password must have at most 128 characters");
  }
  bool lower = false, upper = false, digit = false, other = false;
  for (char c : password) {
    if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (is_digit(c)) {
      digit = true;
    } else {
      other = true;
    }
  }
  if (int{lower} + int{upper} + int{digit} + int{other} < 2) {
    return make_error("password_weak",
                      "password must mix at least two of: lower case, upper case, digits, "
                      "other characters");
  }
  return {};
}

}  // namespace seald::identity
