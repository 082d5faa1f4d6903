#include "api/grant_access.h"

#include "api/application_access.h"
#include "api/handler_kit.h"
#include "api/seal_scope.h"
#include "authz/decisions.h"

namespace seald::api {

Result<GrantCaller> grant_caller(Services& services, const server::Request& request,
                                 const server::RequestContext& context, const std::string& action) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  std::string app_id(context.param("id"));
  if (!authz::is(*principal, authz::Role::org_seal_admin)) {
    return refuse(services, context, *principal, action, "app:" + app_id,
                  "the org seal admin role");
  }
  auto app = load_grantable_app(services, app_id);
  if (!app) {
    return app.error();
  }
  return GrantCaller{std::move(*principal), std::move(*app)};
}

Result<apps::App> load_grantable_app(Services& services, std::string_view app_id) {
  auto app = services.apps.get(app_id);
  if (!app) {
    return app.error();
  }
  if (app->kind == apps::AppKind::ukey) {
    return make_error("app_read_only", "app " + app->id +
                                           " is a UKey app: UKey apps use every UKey seal "
                                           "without a grant, so their seals cannot be changed");
  }
  return app;
}

Status require_managed(Services& services, const server::RequestContext& context,
                       const GrantCaller& caller, const std::string& action,
                       const seals::Seal& seal) {
  auto managed = manages_seal(services, caller.principal, seal);
  if (!managed) {
    return managed.error();
  }
  if (!*managed) {
    return refuse(services, context, caller.principal, action, seal_target(seal.code),
                  "an org seal admin scope covering seal " + seal.code);
  }
  return {};
}

Status require_all_in_scope(Services& services, const server::RequestContext& context,
                            const authz::Principal& principal, const std::string& action,
                            const std::vector<std::string>& codes,
                            const std::vector<seals::Seal>& scope) {
  auto in_scope = codes_of(scope);
  for (const auto& code : codes) {
    if (!in_scope.contains(code)) {
      auto seal = services.seals.get(code);
      if (!seal) {
        return seal.error();
      }
      return refuse(services, context, principal, action, seal_target(code),
                    "an org seal admin scope covering seal " + code);
    }
  }
  return {};
}

}  // namespace seald::api
