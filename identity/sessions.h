#pragma once

// Login, logout and session lookup. A session token is 32 CSPRNG bytes in
// base64url, handed to the client once; Redis keeps only its SHA-256 with a
// TTL. Failed logins are counted per account (or, for a login nobody uses,
// per login string, so that lockout does not reveal which accounts exist).

#include <string_view>

#include "core/error.h"
#include "core/secret.h"
#include "identity/options.h"
#include "identity/password_hasher.h"
#include "identity/user.h"
#include "identity/users.h"
#include "redis/pool.h"

namespace seald::identity {

struct Session {
  Secret token;  // give to the client; seald cannot show it again
  User user;
  std::int64_t expires_ms = 0;
};

class Sessions {
 public:
  Sessions(redis::Pool& pool, Users& users, const PasswordHasher& hasher, LoginOptions options)
      : pool_(pool), users_(users), hasher_(hasher), options_(options) {}

  // login is a mobile number, an ID number or a system login name.
  // Errors: invalid_credentials (unknown login or wrong password, alike),
  // account_locked (too many failures; no password is checked while locked).
  Result<Session> login(std::string_view login, const Secret& password);

  // Ends the session; ending an unknown or expired one is not an error.
  Status logout(std::string_view token);

  // The user behind a live session, or session_invalid.
  Result<User> resolve(std::string_view token);

 private:
  // Counts a failure and says what to answer: invalid_credentials, or
  // account_locked when this failure locks the subject.
  Error record_failure(const std::string& subject);

  redis::Pool& pool_;
  Users& users_;
  const PasswordHasher& hasher_;
  LoginOptions options_;
};

}  // namespace seald::identity
