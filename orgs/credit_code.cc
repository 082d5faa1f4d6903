#include "orgs/credit_code.h"

#include <array>

namespace seald::orgs {
namespace {

constexpr std::size_t kLength = 18;
constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                          29, 25, 13, 8,  24, 10, 30, 28};

char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

int value_of(char c) {
  auto pos = kCreditCodeAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

Error invalid(std::string message) {
  return make_error("credit_code_invalid", "unified social credit code: " + std::move(message));
}

std::string describe(char c) {
  if (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f) {
    return std::string("'") + c + "'";
  }
  return "byte " + std::to_string(static_cast<unsigned char>(c));
}

// Returns the first character outside the alphabet, as an error.
Status check_characters(std::string_view code) {
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (value_of(upper(code[i])) < 0) {
      return invalid("character " + describe(code[i]) + " at position " + std::to_string(i + 1) +
                     " is not allowed (digits and A-Y without I, O, S, V, Z)");
    }
  }
  return {};
}

char check_of(std::string_view first17) {
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) {
    sum += value_of(upper(first17[i])) * kWeights[i];
  }
  return kCreditCodeAlphabet[(31 - sum % 31) % 31];
}

}  // namespace

Result<char> credit_code_check_character(std::string_view first17) {
  if (first17.size() != kLength - 1) {
    return invalid("expected 17 characters before the check character, got " +
                   std::to_string(first17.size()));
  }
  if (auto s = check_characters(first17); !s) {
    return s.error();
  }
  return check_of(first17);
}

Result<std::string> parse_credit_code(std::string_view code) {
  if (code.size() != kLength) {
    return invalid("must be 18 characters, got " + std::to_string(code.size()));
  }
  if (auto s = check_characters(code); !s) {
    return s.error();
  }
  std::string canonical(code);
  for (char& c : canonical) {
    c = upper(c);
  }
  if (check_of(canonical) != canonical[kLength - 1]) {
    return invalid("check character (position 18) does not match the first 17 characters");
  }
  return canonical;
}

}  // namespace seald::orgs
