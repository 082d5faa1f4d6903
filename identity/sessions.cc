#include "identity/sessions.h"

#include <chrono>

#include "identity/crypto.h"
#include "identity/keys.h"

namespace seald::identity {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kMaxTokenLength = 64;

// KEYS: failures, lock. ARGV: max failures, window ms, lock ms.
// Returns 1 when this failure locks the account.
constexpr std::string_view kFailureScript = R"lua(
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
)lua";

// KEYS: session. ARGV: user id, created ms, ttl ms.
constexpr std::string_view kCreateSessionScript = R"lua(
redis.call('HSET', KEYS[1], 'user_id', ARGV[1], 'created_ms', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
)lua";

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Error invalid_credentials() {
  return make_error("invalid_credentials", "the login or the password is wrong");
}

Error account_locked() {
  return make_error("account_locked", "too many failed logins; try again later");
}

Error session_invalid() {
  return make_error("session_invalid", "the session is unknown or has expired");
}

std::string session_key(std::string_view token) {
  return keys::session(sha256_hex(token));
}

}  // namespace

Error Sessions::record_failure(const std::string& subject) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto locked = (*lease)->command({"EVAL", kFailureScript, "2", keys::login_failures(subject),
                                   keys::login_lock(subject), std::to_string(options_.max_failures),
                                   std::to_string(options_.failure_window.count()),
                                   std::to_string(options_.lock_duration.count())});
  if (!locked) {
    return locked.error();
  }
  return locked->integer() == 1 ? account_locked() : invalid_credentials();
}

Result<Session> Sessions::login(std::string_view login, const Secret& password) {
  auto creds = users_.find_credentials(login);
  if (!creds) {
    return creds.error();
  }
  // The subject never contains the login in clear: it may be an ID number.
  std::string subject = *creds ? "user:" + (*creds)->user_id : "login:" + sha256_hex(login);
  {
    auto lease = pool_.acquire();
    if (!lease) {
      return lease.error();
    }
    auto locked = (*lease)->command({"EXISTS", keys::login_lock(subject)});
    if (!locked) {
      return locked.error();
    }
    if (locked->integer() == 1) {
      return account_locked();
    }
  }
  bool ok = false;
  if (*creds) {
    ok = hasher_.verify((*creds)->password_hash, password.reveal());
  } else {
    hasher_.verify_dummy(password.reveal());
  }
  if (!ok) {
    return record_failure(subject);
  }
  auto user = users_.get((*creds)->user_id);
  if (!user) {
    return user.error();
  }
  auto bytes = random_bytes(kTokenBytes);
  if (!bytes) {
    return bytes.error();
  }
  Session session{Secret(base64url(*bytes)), std::move(*user), 0};
  std::int64_t now = now_ms();
  session.expires_ms = now + options_.session_ttl.count();
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  if (auto cleared = (*lease)->command({"DEL", keys::login_failures(subject)}); !cleared) {
    return cleared.error();
  }
  auto created = (*lease)->command(
      {"EVAL", kCreateSessionScript, "1", session_key(session.token.reveal()), session.user.id,
       std::to_string(now), std::to_string(options_.session_ttl.count())});
  if (!created) {
    return created.error();
  }
  return session;
}

Status Sessions::logout(std::string_view token) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto deleted = (*lease)->command({"DEL", session_key(token)});
  if (!deleted) {
    return deleted.error();
  }
  return {};
}

Result<User> Sessions::resolve(std::string_view token) {
  if (token.empty() || token.size() > kMaxTokenLength) {
    return session_invalid();
  }
  std::string user_id;
  {
    auto lease = pool_.acquire();
    if (!lease) {
      return lease.error();
    }
    auto reply = (*lease)->command({"HGET", session_key(token), "user_id"});
    if (!reply) {
      return reply.error();
    }
    if (reply->is_nil()) {
      return session_invalid();
    }
    user_id = reply->str();
  }
  auto user = users_.get(user_id);
  if (!user && user.error().code == "user_not_found") {
    return session_invalid();
  }
  return user;
}

}  // namespace seald::identity
