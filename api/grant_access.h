#pragma once

// The prologue every grant change shares: the caller must be an org seal
// admin, the app must exist and be a cloud app (UKey apps need no grant, so
// they are read-only), and each seal must lie in the caller's scope.
// Refusals are audited.

#include <string>
#include <string_view>
#include <vector>

#include "api/services.h"
#include "apps/app.h"
#include "authz/principal.h"
#include "core/error.h"
#include "seals/seal.h"
#include "server/handler.h"

namespace seald::api {

// At most this many apps in one sync.
inline constexpr std::size_t kMaxSyncApps = 50;

struct GrantCaller {
  authz::Principal principal;
  apps::App app;  // the {id} of the path
};

// Authenticates, requires the org seal admin role (else an audited 403
// under action) and loads the path's app as a grantable one.
Result<GrantCaller> grant_caller(Services& services, const server::Request& request,
                                 const server::RequestContext& context, const std::string& action);

// The app, when it can hold grants. Errors: app_not_found, app_read_only
// (a UKey app).
Result<apps::App> load_grantable_app(Services& services, std::string_view app_id);

// Ok when the caller's scope covers the seal; otherwise an audited 403.
Status require_managed(Services& services, const server::RequestContext& context,
                       const GrantCaller& caller, const std::string& action,
                       const seals::Seal& seal);

// Ok when every code is one of the scope's seals. Otherwise a code that
// names no seal is seal_not_found, and one outside the scope an audited 403.
Status require_all_in_scope(Services& services, const server::RequestContext& context,
                            const authz::Principal& principal, const std::string& action,
                            const std::vector<std::string>& codes,
                            const std::vector<seals::Seal>& scope);

}  // namespace seald::api
