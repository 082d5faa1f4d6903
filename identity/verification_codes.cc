#include "identity/verification_codes.h"

#include <algorithm>

#include "identity/crypto.h"
#include "identity/keys.h"
#include "identity/validation.h"

namespace seald::identity {
namespace {

constexpr std::size_t kCodeDigits = 6;

// KEYS: throttle, code. ARGV: hash, ttl ms, resend interval ms.
constexpr std::string_view kIssueScript = R"lua(
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[3]) then return 0 end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], 'hash', ARGV[1], 'attempts', 0)
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
)lua";

}  // namespace

std::string VerificationCodes::candidate_hash(CodePurpose purpose, std::string_view mobile,
                                              std::string_view code) {
  std::string material = "seald.identity.code";
  material.push_back('\0');
  material.append(to_string(purpose));
  material.push_back('\0');
  material.append(mobile);
  material.push_back('\0');
  material.append(code);
  return sha256_hex(material);
}

Status VerificationCodes::send(CodePurpose purpose, std::string_view mobile) {
  if (auto ok = validate_mobile(mobile); !ok) {
    return ok;
  }
  auto code = random_digits(kCodeDigits);
  if (!code) {
    return code.error();
  }
  std::string throttle_key = keys::code_throttle(to_string(purpose), mobile);
  std::string code_key = keys::code(to_string(purpose), mobile);
  std::string hash = candidate_hash(purpose, mobile, code->reveal());
  // PX takes only positive times.
  std::string ttl = std::to_string(std::max<long long>(1, options_.ttl.count()));
  std::string resend = std::to_string(std::max<long long>(1, options_.resend_interval.count()));
  {
    auto lease = pool_.acquire();
    if (!lease) {
      return lease.error();
    }
    auto issued =
        (*lease)->command({"EVAL", kIssueScript, "2", throttle_key, code_key, hash, ttl, resend});
    if (!issued) {
      return issued.error();
    }
    if (issued->integer() == 0) {
      return make_error("code_throttled",
                        "a code was sent to this number recently; wait before asking again");
    }
  }
  if (auto sent = sender_.send(mobile, purpose, *code); !sent) {
    // Forget the undelivered code and the throttle so the user can retry now.
    if (auto lease = pool_.acquire()) {
      (void)(*lease)->command({"DEL", code_key, throttle_key});
    }
    return make_error("code_send_failed",
                      "the verification code could not be sent: " + sent.error().message);
  }
  return {};
}

Error code_error(std::string_view code) {
  if (code == "code_attempts_exceeded") {
    return make_error("code_attempts_exceeded",
                      "too many wrong verification codes; ask for a new code");
  }
  return make_error("code_invalid", "verification code is wrong, expired or already used");
}

}  // namespace seald::identity
