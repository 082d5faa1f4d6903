#pragma once

// Shared by the account, org and audit route tests: a harness serving those
// three groups, valid credit codes, and a look at what the audit log holds.

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "api/routes.h"
#include "audit/log.h"
#include "orgs/credit_code.h"
#include "tests/api/harness.h"

namespace seald::api::testing {

inline std::vector<ApiHarness::AddRoutes> account_org_audit_routes() {
  return {add_account_routes, add_org_routes, add_audit_routes};
}

// A valid unified social credit code for sequence n.
inline std::string credit_code(unsigned n) {
  std::string digits = std::to_string(n);
  std::string body = "91330100MA" + std::string(7 - digits.size(), '0') + digits;
  return body + *orgs::credit_code_check_character(body);
}

// Audit records matching the filter, newest first.
inline std::vector<audit::Record> audit_records(ApiHarness& harness, audit::Filter filter = {}) {
  auto page = harness.services().audit.list(filter, "", 100);
  return page ? page->records : std::vector<audit::Record>{};
}

// A JSON member as text, to compare with std::string.
inline std::string text(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v);
}

inline std::string detail(const audit::Record& record, const std::string& name) {
  for (const auto& [n, v] : record.details) {
    if (n == name) {
      return v;
    }
  }
  return "";
}

}  // namespace seald::api::testing
