#pragma once

// What the end-to-end walks share: accounts made through the real API (the
// development code sender logs the verification code), logins, versions.

#include <gtest/gtest.h>

#include <string>

#include <boost/json.hpp>

#include "orgs/credit_code.h"
#include "tests/e2e/api_client.h"

namespace seald::testing {

inline std::string credit_code(unsigned n) {
  std::string first17 = "91330100MA2" + std::to_string(100000 + n);
  return first17 + *orgs::credit_code_check_character(first17);
}

inline std::string resident_id(unsigned n) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  std::string body = "33010619850612" + std::to_string(100 + n);
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    sum += (body[i] - '0') * kWeights[i];
  }
  return body + "10X98765432"[sum % 11];
}

// The development code sender logs "... code for 139****0001 is 123456".
inline std::string code_from_log(const SealdNode& node, const std::string& mobile) {
  std::string needle = "code for " + mobile.substr(0, 3) + "****" + mobile.substr(7) + " is ";
  std::string log = node.log();
  auto at = log.rfind(needle);
  return at == std::string::npos ? "" : log.substr(at + needle.size(), 6);
}

inline std::string login(const SealdNode& node, const std::string& who,
                         const std::string& password) {
  auto r = api_call(node, "POST", "/auth/login", "", {{"login", who}, {"password", password}});
  EXPECT_EQ(r.status, 200) << r.raw;
  return r.str("token");
}

inline std::string register_and_login(const SealdNode& node, unsigned n, const std::string& name) {
  std::string mobile = "1390000" + std::to_string(1000 + n);
  auto sent =
      api_call(node, "POST", "/auth/codes", "", {{"mobile", mobile}, {"purpose", "register"}});
  EXPECT_EQ(sent.status, 202) << sent.raw;
  std::string code = code_from_log(node, mobile);
  EXPECT_EQ(code.size(), 6u) << "the development sender logs the code:\n"
                             << node.log().substr(
                                    node.log().size() > 3000 ? node.log().size() - 3000 : 0);
  auto reg = api_call(node, "POST", "/users", "",
                      {{"name", name},
                       {"id_number", resident_id(n)},
                       {"mobile", mobile},
                       {"password", "Walk-Passw0rd"},
                       {"code", code}});
  EXPECT_EQ(reg.status, 201) << reg.raw;
  return login(node, mobile, "Walk-Passw0rd");
}

inline std::string user_id_of(const SealdNode& node, const std::string& token) {
  return api_call(node, "GET", "/me", token).str("id");
}

inline std::int64_t version_of(const ApiReply& r) {
  return r.body.at("version").as_int64();
}

}  // namespace seald::testing
