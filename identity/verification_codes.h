#pragma once

// One-time mobile verification codes. A code is 6 CSPRNG digits; Redis holds
// only its hash, an attempt counter and a TTL. Checking happens inside the
// Lua script of the action the code authorises (kCheckCodeLua), so that the
// check, the action and the code's consumption are one atomic step.

#include <string>
#include <string_view>

#include "core/error.h"
#include "identity/code_sender.h"
#include "identity/options.h"
#include "redis/pool.h"

namespace seald::identity {

// Lua helper: check_code(key, candidate_hash, max_attempts) returns nil when
// the code matches, else an error code. A wrong guess counts an attempt; the
// caller deletes the key after its action succeeds (single use).
inline constexpr std::string_view kCheckCodeLua = R"lua(
local function check_code(key, candidate, max_attempts)
  local stored = redis.call('HMGET', key, 'hash', 'attempts')
  if not stored[1] then return 'code_invalid' end
  if (tonumber(stored[2]) or 0) >= max_attempts then return 'code_attempts_exceeded' end
  if stored[1] ~= candidate then
    redis.call('HINCRBY', key, 'attempts', 1)
    return 'code_invalid'
  end
  return nil
end
)lua";

class VerificationCodes {
 public:
  VerificationCodes(redis::Pool& pool, CodeSender& sender, CodeOptions options)
      : pool_(pool), sender_(sender), options_(options) {}

  // Makes a fresh code (replacing any earlier one) and sends it. Fails with
  // mobile_invalid, code_throttled (within the resend interval),
  // code_send_failed, or a redis_* error.
  Status send(CodePurpose purpose, std::string_view mobile);

  // What the action scripts compare: the hash binds the code to its purpose
  // and number, so one code cannot be replayed for another.
  static std::string candidate_hash(CodePurpose purpose, std::string_view mobile,
                                    std::string_view code);

  const CodeOptions& options() const { return options_; }

 private:
  redis::Pool& pool_;
  CodeSender& sender_;
  CodeOptions options_;
};

// Message for the codes check_code returns.
Error code_error(std::string_view code);

}  // namespace seald::identity
