#pragma once

// The identity component assembled: one object that owns the password
// hasher, the code issuer, the user store and the session store, wired in
// the right order. The HTTP layer keeps one per process.

#include <memory>

#include "identity/code_sender.h"
#include "identity/options.h"
#include "identity/password_hasher.h"
#include "identity/sessions.h"
#include "identity/users.h"
#include "identity/verification_codes.h"
#include "redis/pool.h"

namespace seald::identity {

class Identity {
 public:
  // The sender must outlive the Identity.
  static Result<std::unique_ptr<Identity>> create(redis::Pool& pool, CodeSender& sender,
                                                  const IdentityOptions& options);

  VerificationCodes& codes() { return codes_; }
  Users& users() { return users_; }
  Sessions& sessions() { return sessions_; }

 private:
  Identity(redis::Pool& pool, CodeSender& sender, const IdentityOptions& options,
           PasswordHasher hasher)
      : hasher_(std::move(hasher)),
        codes_(pool, sender, options.codes),
        users_(pool, codes_, hasher_),
        sessions_(pool, users_, hasher_, options.login) {}

  PasswordHasher hasher_;
  VerificationCodes codes_;
  Users users_;
  Sessions sessions_;
};

}  // namespace seald::identity
