#pragma once

// The system admin's side of accounts: the user list and role grants.

#include "api/services.h"
#include "server/router.h"

namespace seald::api {

// GET /users, GET /users/{id}/roles, POST /users/{id}/roles and
// POST /users/{id}/roles/revoke; called by add_account_routes.
void add_account_admin_routes(server::Router& router, Services& services);

}  // namespace seald::api
