#pragma once

// The first system admin. A fresh deployment has no one who could grant
// roles, so at start each node calls ensure_bootstrap_admin: if nobody holds
// system_admin, it creates (or, if it exists, re-arms) the system account
// "bootstrap-admin" with a generated password and grants it system_admin.
// Nodes starting together race for a claim key in Redis; exactly one does
// the work, the others wait for it and return nothing.

#include <chrono>
#include <optional>
#include <string>

#include "authz/role_store.h"
#include "core/error.h"
#include "core/secret.h"
#include "identity/users.h"
#include "redis/pool.h"

namespace seald::authz {

struct BootstrapOptions {
  std::string login_name = "bootstrap-admin";
  std::string display_name = "Bootstrap administrator";
  // A claim outlives a node that died holding it by at most this long.
  std::chrono::milliseconds claim_ttl{std::chrono::seconds(60)};
  // How long a node that lost the race waits for the winner to finish.
  std::chrono::milliseconds wait{std::chrono::seconds(15)};
};

struct BootstrapCredentials {
  std::string user_id;
  std::string login_name;  // log in with this as the login
  Secret password;         // shown once: write it to a 0600 file, then forget it
};

// nullopt when a system admin already exists (or another node made one
// meanwhile). Errors: bootstrap_in_progress (another node holds the claim
// past `wait`), redis_*, and anything creating the account returns.
Result<std::optional<BootstrapCredentials>> ensure_bootstrap_admin(
    redis::Pool& pool, identity::Users& users, RoleStore& roles,
    const BootstrapOptions& options = {});

}  // namespace seald::authz
