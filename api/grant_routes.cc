// Seal grants (授权, manual §4): an org seal admin grants the cloud seals its
// scope covers to cloud apps — one seal, a list, or all of them (optionally
// under one org) — takes them back the same three ways, and syncs the seals
// of one grant operation (or a given list) to other apps. UKey apps need no
// grant and are read-only here. Each change is one atomic store call and one
// audit record; refusals are audited too. The lists live in
// grant_list_routes.cc.

#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

#include "api/application_access.h"
#include "api/grant_access.h"
#include "api/handler_kit.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "api/seal_scope.h"
#include "authz/decisions.h"
#include "grants/grant_store.h"

namespace seald::api {
namespace {

namespace json = boost::json;
using server::Request;
using server::RequestContext;
using server::Response;
using server::http::status;
using server::http::verb;

enum class Direction { grant, ungrant };

std::string action_of(Direction d) {
  return d == Direction::grant ? "grant.add" : "grant.remove";
}

json::object change_json(const grants::GrantChange& change) {
  json::array changed, unchanged;
  for (const auto& c : change.changed) {
    changed.push_back(json::value(c));
  }
  for (const auto& c : change.unchanged) {
    unchanged.push_back(json::value(c));
  }
  return {{"operation_id", change.operation_id},
          {"app_id", change.app_id},
          {"changed", std::move(changed)},
          {"unchanged", std::move(unchanged)}};
}

std::string joined(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) {
    out += out.empty() ? "" : ",";
    out += c;
  }
  return out;
}

// Runs the store call and audits it; 503 audit_unavailable when the record
// could not be written (the change stands, as for every management change).
Result<Response> apply_change(Services& services, const RequestContext& context,
                              const GrantCaller& caller, Direction direction,
                              const std::vector<std::string>& codes, std::string mode) {
  grants::GrantChange change;
  change.app_id = caller.app.id;
  if (!codes.empty()) {
    auto done = direction == Direction::grant
                    ? services.grants.grant(caller.app.id, codes, caller.principal.user_id)
                    : services.grants.ungrant(caller.app.id, codes, caller.principal.user_id);
    if (!done) {
      return done.error();
    }
    change = std::move(*done);
    services.changes.grants(caller.app.id);
  }
  if (auto s = audit_action(services, context, actor_of(caller.principal), action_of(direction),
                            "app:" + caller.app.id, "ok",
                            {{"mode", std::move(mode)},
                             {"operation_id", change.operation_id},
                             {"count", std::to_string(change.changed.size())},
                             {"seals", joined(change.changed)}});
      !s) {
    return make_error("audit_unavailable", "the grants changed but their audit record failed");
  }
  return json_ok(status::ok, change_json(change));
}

Result<Response> change_one(Services& services, const Request& request,
                            const RequestContext& context, Direction direction) {
  auto caller = grant_caller(services, request, context, action_of(direction));
  if (!caller) {
    return caller.error();
  }
  std::string code(context.param("code"));
  auto seal = services.seals.get(code);
  if (!seal) {
    return seal.error();
  }
  if (auto s = require_managed(services, context, *caller, action_of(direction), *seal); !s) {
    return s.error();
  }
  return apply_change(services, context, *caller, direction, {code}, "single");
}

// The codes a batch or "all" body names, each checked against the caller's
// scope. "all" takes, for a grant, every grantable cloud seal in scope (under
// org_id when given) and, for an ungrant, every seal of the app in scope.
Result<std::vector<std::string>> codes_for(Services& services, const RequestContext& context,
                                           const GrantCaller& caller, Direction direction,
                                           const json::object& body, std::string& mode) {
  auto listed = optional_string_list(body, "seal_codes", grants::kMaxSealsPerChange, 32);
  if (!listed) {
    return listed.error();
  }
  auto all = optional_bool(body, "all");
  if (!all) {
    return all.error();
  }
  auto org_id = optional_string(body, "org_id", 128);
  if (!org_id) {
    return org_id.error();
  }
  bool everything = all->value_or(false);
  if (everything == listed->has_value()) {
    return make_error("field_invalid", "send either seal_codes or \"all\": true");
  }
  if (listed->has_value() && org_id->has_value()) {
    return make_error("field_invalid", "org_id narrows \"all\" only; seal_codes name the seals");
  }
  auto scope = seals_in_scope(services, caller.principal, *org_id);
  if (!scope) {
    if (scope.error().code == "forbidden") {
      return refuse(services, context, caller.principal, action_of(direction), "org:" + **org_id,
                    "an org seal admin scope covering org " + **org_id);
    }
    return scope.error();
  }
  std::vector<std::string> codes;
  if (!everything) {
    mode = "batch";
    if (auto s = require_all_in_scope(services, context, caller.principal, action_of(direction),
                                      **listed, *scope);
        !s) {
      return s.error();
    }
    return std::move(**listed);
  }
  mode = "all";
  if (direction == Direction::grant) {
    for (const auto& seal : *scope) {
      if (seal.usage == "cloud" && (seal.status == seals::SealStatus::active ||
                                    seal.status == seals::SealStatus::suspended)) {
        codes.push_back(seal.code);
      }
    }
    return codes;
  }
  auto held = services.grants.seals_of_app(caller.app.id);
  if (!held) {
    return held.error();
  }
  auto in_scope = codes_of(*scope);
  std::copy_if(held->begin(), held->end(), std::back_inserter(codes),
               [&](const std::string& c) { return in_scope.contains(c); });
  return codes;
}

Result<Response> change_many(Services& services, const Request& request,
                             const RequestContext& context, Direction direction) {
  auto caller = grant_caller(services, request, context, action_of(direction));
  if (!caller) {
    return caller.error();
  }
  auto body = parse_object(request.body(), {"seal_codes", "all", "org_id"});
  if (!body) {
    return body.error();
  }
  std::string mode;
  auto codes = codes_for(services, context, *caller, direction, *body, mode);
  if (!codes) {
    return codes.error();
  }
  return apply_change(services, context, *caller, direction, *codes, std::move(mode));
}

Result<Response> sync(Services& services, const Request& request, const RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  if (!authz::is(*principal, authz::Role::org_seal_admin)) {
    return refuse(services, context, *principal, "grant.sync", "grants", "the org seal admin role");
  }
  auto body = parse_object(request.body(), {"operation_id", "seal_codes", "app_ids"});
  if (!body) {
    return body.error();
  }
  auto operation_id = optional_string(*body, "operation_id", 64);
  if (!operation_id) {
    return operation_id.error();
  }
  auto listed = optional_string_list(*body, "seal_codes", grants::kMaxSealsPerChange, 32);
  if (!listed) {
    return listed.error();
  }
  auto app_ids = optional_string_list(*body, "app_ids", kMaxSyncApps, 64);
  if (!app_ids) {
    return app_ids.error();
  }
  if (!app_ids->has_value()) {
    return make_error("field_missing", "field 'app_ids' is required: the apps to sync to");
  }
  if (operation_id->has_value() == listed->has_value()) {
    return make_error("field_invalid", "send either operation_id or seal_codes");
  }
  std::vector<std::string> codes;
  if (*operation_id) {
    auto op = services.grants.operation(**operation_id);
    if (!op) {
      return op.error();
    }
    codes = std::move(op->seal_codes);
  } else {
    codes = std::move(**listed);
  }
  auto scope = seals_in_scope(services, *principal, std::nullopt);
  if (!scope) {
    return scope.error();
  }
  if (auto s = require_all_in_scope(services, context, *principal, "grant.sync", codes, *scope);
      !s) {
    return s.error();
  }
  for (const auto& id : **app_ids) {
    auto app = load_grantable_app(services, id);
    if (!app) {
      return app.error();
    }
  }
  auto done = services.grants.grant_to_apps(**app_ids, codes, principal->user_id);
  if (!done) {
    return done.error();
  }
  json::array results;
  bool audited = true;
  for (const auto& change : *done) {
    services.changes.grants(change.app_id);
    audited = audit_action(services, context, actor_of(*principal), "grant.sync",
                           "app:" + change.app_id, "ok",
                           {{"source_operation", operation_id->value_or("")},
                            {"operation_id", change.operation_id},
                            {"count", std::to_string(change.changed.size())},
                            {"seals", joined(change.changed)}}) &&
              audited;
    results.push_back(change_json(change));
  }
  if (!audited) {
    return make_error("audit_unavailable", "the grants changed but their audit record failed");
  }
  return json_ok(status::ok, json::object{{"results", std::move(results)}});
}

}  // namespace

void add_grant_routes(server::Router& router, Services& services) {
  for (auto [method, direction, name] :
       {std::tuple{verb::put, Direction::grant, "grant_one"},
        std::tuple{verb::delete_, Direction::ungrant, "ungrant_one"}}) {
    router.add_async(method, "/api/v1/apps/{id}/grants/{code}", name,
                     offload(services, [&services, direction = direction](const Request& r,
                                                                          const RequestContext& c) {
                       return change_one(services, r, c, direction);
                     }));
  }
  for (auto [path, direction, name] :
       {std::tuple{"/api/v1/apps/{id}/grants", Direction::grant, "grant_many"},
        std::tuple{"/api/v1/apps/{id}/grants/remove", Direction::ungrant, "ungrant_many"}}) {
    router.add_async(verb::post, path, name,
                     offload(services, [&services, direction = direction](const Request& r,
                                                                          const RequestContext& c) {
                       return change_many(services, r, c, direction);
                     }));
  }
  router.add_async(verb::post, "/api/v1/grants/sync", "grant_sync", offload(services, sync));
}

}  // namespace seald::api
