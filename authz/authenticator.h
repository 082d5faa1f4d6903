#pragma once

// Turns a user's session token into a Principal: the session (identity)
// names the user, the role store adds their grants.

#include <string_view>

#include "authz/principal.h"
#include "authz/role_store.h"
#include "core/error.h"
#include "identity/sessions.h"

namespace seald::authz {

class Authenticator {
 public:
  Authenticator(identity::Sessions& sessions, RoleStore& roles)
      : sessions_(sessions), roles_(roles) {}

  // session_invalid for an unknown or expired token; redis_* when Redis fails.
  Result<Principal> principal_for(std::string_view session_token);

 private:
  identity::Sessions& sessions_;
  RoleStore& roles_;
};

}  // namespace seald::authz
