#include "api/account_admin_routes.h"

#include <algorithm>
#include <string>
#include <utility>

#include "api/account_access.h"
#include "api/account_view.h"
#include "api/handler_kit.h"
#include "api/json_body.h"
#include "api/request_parts.h"
#include "orgs/validation.h"

namespace seald::api {
namespace {

using authz::Role;
using server::Request;
using server::RequestContext;
using server::Response;
using server::http::status;
using server::http::verb;

std::string user_target(std::string_view user_id) {
  return "user:" + std::string(user_id);
}

Result<Response> list_users(Services& services, const Request& request,
                            const RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  if (auto allowed =
          require_role(services, context, *principal, Role::system_admin, "user.list", "users");
      !allowed) {
    return allowed.error();
  }
  auto paging = parse_paging(request.target());
  if (!paging) {
    return paging.error();
  }
  auto page = services.identity.users().list(paging->offset, paging->limit);
  if (!page) {
    return page.error();
  }
  boost::json::array items;
  for (const auto& user : page->items) {
    items.push_back(user_json(user));
  }
  return json_ok(status::ok, page_json(std::move(items), page->total, *paging));
}

Result<Response> roles_answer(Services& services, std::string_view user_id) {
  auto grants = services.roles.grants_of(user_id);
  if (!grants) {
    return grants.error();
  }
  return json_ok(status::ok, boost::json::object{{"roles", grants_json(*grants)}});
}

Result<Response> get_roles(Services& services, const Request& request,
                           const RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  std::string user_id(context.param("id"));
  if (auto allowed = require_role(services, context, *principal, Role::system_admin, "role.list",
                                  user_target(user_id));
      !allowed) {
    return allowed.error();
  }
  if (auto user = services.identity.users().get(user_id); !user) {
    return user.error();
  }
  return roles_answer(services, user_id);
}

// {role, org_id?, region?} → a Grant the role store would accept.
Result<authz::Grant> grant_from(const Request& request) {
  auto body = parse_object(request.body(), {"role", "org_id", "region"});
  if (!body) {
    return body.error();
  }
  auto role_name = required_string(*body, "role", 32);
  if (!role_name) {
    return role_name.error();
  }
  auto role = authz::parse_role(*role_name);
  if (!role) {
    return role.error();
  }
  auto org_id = optional_string(*body, "org_id", 128);
  if (!org_id) {
    return org_id.error();
  }
  auto region = optional_string(*body, "region", 32);
  if (!region) {
    return region.error();
  }
  authz::Grant grant{*role, org_id->value_or(""), region->value_or("")};
  if (auto valid = authz::validate(grant); !valid) {
    return valid.error();
  }
  return grant;
}

std::vector<std::pair<std::string, std::string>> grant_details(const authz::Grant& grant,
                                                               bool changed) {
  std::vector<std::pair<std::string, std::string>> details{
      {"role", std::string(authz::to_string(grant.role))}};
  if (!grant.org_id.empty()) {
    details.emplace_back("org_id", grant.org_id);
  }
  if (!grant.region.empty()) {
    details.emplace_back("region", grant.region);
  }
  details.emplace_back("changed", changed ? "true" : "false");
  return details;
}

// What a role change works on once its caller, target user and grant are
// known to be acceptable: the shared first half of grant and revoke.
struct RoleChange {
  authz::Principal principal;
  std::string user_id;
  authz::Grant grant;
};

Result<RoleChange> prepare_role_change(Services& services, const Request& request,
                                       const RequestContext& context, const char* action) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  std::string user_id(context.param("id"));
  if (auto allowed = require_role(services, context, *principal, Role::system_admin, action,
                                  user_target(user_id));
      !allowed) {
    return allowed.error();
  }
  auto grant = grant_from(request);
  if (!grant) {
    return grant.error();
  }
  if (auto user = services.identity.users().get(user_id); !user) {
    return user.error();
  }
  return RoleChange{std::move(*principal), std::move(user_id), std::move(*grant)};
}

Result<Response> grant_role(Services& services, const Request& request,
                            const RequestContext& context) {
  auto change = prepare_role_change(services, request, context, "role.grant");
  if (!change) {
    return change.error();
  }
  const auto& principal = change->principal;
  const auto& user_id = change->user_id;
  const auto& grant = change->grant;
  // A grant bound to an org nobody can find would be a power over nothing,
  // and a region that is not a division code could never match an org.
  if (!grant.org_id.empty()) {
    if (auto org = services.orgs.get(grant.org_id); !org) {
      return org.error();
    }
  }
  if (!grant.region.empty()) {
    if (auto region = orgs::validate_region(grant.region); !region) {
      return region.error();
    }
  }
  auto changed = services.roles.grant(user_id, grant);
  if (!changed) {
    return changed.error();
  }
  if (auto a = audit_change(services, context, actor_of(principal), "role.grant",
                            user_target(user_id), grant_details(grant, *changed));
      !a) {
    return a.error();
  }
  return roles_answer(services, user_id);
}

Result<Response> revoke_role(Services& services, const Request& request,
                             const RequestContext& context) {
  auto change = prepare_role_change(services, request, context, "role.revoke");
  if (!change) {
    return change.error();
  }
  const auto& principal = change->principal;
  const auto& user_id = change->user_id;
  const auto& grant = change->grant;
  if (grant.role == Role::system_admin) {
    // Nobody could grant roles any more until a restart re-arms the
    // bootstrap account; refuse instead. Two admins revoking each other at
    // once can still both pass this check: the bootstrap is the backstop.
    auto held = services.roles.grants_of(user_id);
    if (!held) {
      return held.error();
    }
    bool holds = std::find(held->begin(), held->end(), grant) != held->end();
    auto holders = services.roles.count_holders(Role::system_admin);
    if (!holders) {
      return holders.error();
    }
    if (holds && *holders <= 1) {
      return make_error("last_system_admin",
                        "this is the only system admin; grant the role to someone else first");
    }
  }
  auto changed = services.roles.revoke(user_id, grant);
  if (!changed) {
    return changed.error();
  }
  if (auto a = audit_change(services, context, actor_of(principal), "role.revoke",
                            user_target(user_id), grant_details(grant, *changed));
      !a) {
    return a.error();
  }
  return roles_answer(services, user_id);
}

}  // namespace

void add_account_admin_routes(server::Router& router, Services& services) {
  router.add_async(verb::get, "/api/v1/users", "user_list", offload(services, list_users));
  router.add_async(verb::get, "/api/v1/users/{id}/roles", "user_roles_get",
                   offload(services, get_roles));
  router.add_async(verb::post, "/api/v1/users/{id}/roles", "user_roles_grant",
                   offload(services, grant_role));
  router.add_async(verb::post, "/api/v1/users/{id}/roles/revoke", "user_roles_revoke",
                   offload(services, revoke_role));
}

}  // namespace seald::api
