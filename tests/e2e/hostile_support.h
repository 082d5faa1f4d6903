#pragma once

// The hostile-input suite's harness: one seald with a granted seal and an
// app token, a table runner that fires each hostile request on a raw socket
// and demands a 4xx (or, where the table allows, a closed connection), and
// a health probe — a real sign request that must still get a signature —
// run after every case.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/e2e/raw_client.h"
#include "tests/e2e/signing_support.h"
#include "tests/support/seald_node.h"

namespace seald::testing {

// Short enough that the slow-client cases finish quickly, long enough that
// no honest request of this suite comes near them.
inline constexpr unsigned kHeaderTimeoutMs = 1000;
inline constexpr unsigned kReadTimeoutMs = 1500;
inline constexpr unsigned kIdleTimeoutMs = 1500;
inline constexpr std::size_t kBodyLimit = 256 * 1024;
inline constexpr std::size_t kHeaderLimit = 8 * 1024;

enum class Expect {
  client_error,           // a 4xx answer is required
  client_error_or_close,  // a 4xx, or the server closes without answering
};

struct HostileCase {
  std::string category;
  std::string name;
  std::string bytes;  // the whole request, exactly as sent
  Expect expect = Expect::client_error;
  int status = 0;  // when set, exactly this status
  // Nothing more may be answered on this connection: the server closes it
  // (for smuggling, where a second request hides in the first one's body).
  bool then_closed = false;
};

// What the cases aim at: ids of real records, so a refusal is about the
// hostile part of the request, not a missing record.
struct HostileTarget {
  unsigned short port = 0;
  std::string app_token, admin_token;
  std::string seal_code, app_id, client_id, client_secret, org_id, user_id, application_id;
};

class HostileEnv {
 public:
  HostileEnv();
  // POST /api/v1/sign, well formed; "" when it got 200 with a signature,
  // else what went wrong.
  std::string sign_check();
  // A valid sign body (fresh random hash each call).
  std::string sign_body() const;

  SealdNode node;
  std::unique_ptr<SigningSetup> setup;
  HostileTarget target;
};

// Per category: how many cases ran and how many behaved.
using Tally = std::map<std::string, std::pair<int, int>>;

// Runs each case, EXPECTs its outcome, and after each one (or every
// `probe_every`) EXPECTs a successful sign. Adds to *tally.
void run_table(HostileEnv& env, const std::vector<HostileCase>& cases, Tally* tally,
               int probe_every = 1);
void print_tally(const Tally& tally);

// The tables (hostile_cases_json.cc, hostile_cases_http.cc).
std::vector<HostileCase> json_body_cases(const HostileTarget& t);
std::vector<HostileCase> sign_field_cases(const HostileTarget& t);
std::vector<HostileCase> http_framing_cases(const HostileTarget& t);
std::vector<HostileCase> auth_cases(const HostileTarget& t);
std::vector<HostileCase> target_cases(const HostileTarget& t);

}  // namespace seald::testing
