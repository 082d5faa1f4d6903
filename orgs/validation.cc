#include "orgs/validation.h"

#include <string>

namespace seald::orgs {
namespace {

constexpr std::size_t kMaxNameBytes = 200;

// Length of the UTF-8 sequence starting at s[i], or 0 when it is malformed
// (overlong forms, surrogates and values above U+10FFFF included).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  std::size_t n = c < 0x80                   ? 1
                  : (c >= 0xC2 && c <= 0xDF) ? 2
                  : (c & 0xF0) == 0xE0       ? 3
                  : (c >= 0xF0 && c <= 0xF4) ? 4
                                             : 0;
  if (n == 0 || i + n > s.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      return 0;
    }
  }
  if ((c == 0xE0 && b(i + 1) < 0xA0) || (c == 0xED && b(i + 1) > 0x9F) ||
      (c == 0xF0 && b(i + 1) < 0x90) || (c == 0xF4 && b(i + 1) > 0x8F)) {
    return 0;
  }
  return n;
}

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

Status validate_org_name(std::string_view name) {
  if (blank(name)) {
    return make_error("org_name_invalid", "organisation name is empty");
  }
  if (name.size() > kMaxNameBytes) {
    return make_error("org_name_invalid", "organisation name is longer than " +
                                              std::to_string(kMaxNameBytes) + " bytes");
  }
  for (std::size_t i = 0; i < name.size();) {
    std::size_t n = utf8_sequence(name, i);
    if (n == 0) {
      return make_error("org_name_invalid", "organisation name is not valid UTF-8");
    }
    auto c = static_cast<unsigned char>(name[i]);
    if (n == 1 && (c < 0x20 || c == 0x7f)) {
      return make_error("org_name_invalid", "organisation name contains a control character");
    }
    i += n;
  }
  return {};
}

Status validate_region(std::string_view region) {
  bool ok = region.size() == 6 && region[0] != '0';
  for (char c : region) {
    ok = ok && c >= '0' && c <= '9';
  }
  if (!ok) {
    return make_error("org_region_invalid",
                      "region must be a 6-digit administrative division code such as 330000");
  }
  return {};
}

}  // namespace seald::orgs
