// Registered applications (应用, manual §4) through /api/v1/apps: system
// admins register and change them; org seal admins may also search and read
// them, to pick the app they grant seals to (manual §4.1). The client secret leaves seald exactly
// twice per secret's life — in the 201 of a registration and the 200 of a rotation — and never in
// an audit record, a log line or a GET.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "api/account_access.h"
#include "api/application_access.h"
#include "api/handler_kit.h"
#include "api/json_body.h"
#include "api/request_parts.h"
#include "api/routes.h"
#include "apps/app_store.h"
#include "authz/decisions.h"

namespace seald::api {
namespace {

namespace json = boost::json;
using server::Request;
using server::RequestContext;
using server::Response;
using server::http::status;
using server::http::verb;

json::value rate_limit_json(const std::optional<apps::AppRateLimit>& limit) {
  if (!limit) {
    return nullptr;
  }
  return json::object{{"rate_per_s", limit->rate_per_s}, {"burst", limit->burst}};
}

json::object app_json(const apps::App& app) {
  return {{"id", app.id},
          {"client_id", app.client_id},
          {"name", app.name},
          {"competent_unit", app.competent_unit},
          {"developer_unit", app.developer_unit},
          {"kind", apps::to_string(app.kind)},
          {"status", apps::to_string(app.status)},
          {"version", app.version},
          {"created_by", app.created_by},
          {"created_ms", app.created_ms},
          {"updated_ms", app.updated_ms},
          {"rate_limit", rate_limit_json(app.rate_limit)}};
}

// The only place a secret is written out; reveal() is greppable on purpose.
json::object credentials_json(const apps::Credentials& credentials) {
  return {{"app", app_json(credentials.app)},
          {"client_secret", credentials.client_secret.reveal()}};
}

// The caller when a system admin; otherwise the refusal, audited.
Result<authz::Principal> admin(Services& services, const Request& request,
                               const RequestContext& context, const std::string& action,
                               const std::string& target) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  if (auto allowed =
          require_role(services, context, *principal, authz::Role::system_admin, action, target);
      !allowed) {
    return allowed.error();
  }
  return principal;
}

// The caller when a system admin or an org seal admin (read-only use).
Result<authz::Principal> reader(Services& services, const Request& request,
                                const RequestContext& context, const std::string& action,
                                const std::string& target) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  if (!authz::is(*principal, authz::Role::system_admin) &&
      !authz::is(*principal, authz::Role::org_seal_admin)) {
    return refuse(services, context, *principal, action, target,
                  "the system admin or org seal admin role");
  }
  return principal;
}

Result<Response> register_app(Services& services, const Request& request,
                              const RequestContext& context) {
  auto principal = admin(services, request, context, "app.register", "apps");
  if (!principal) {
    return principal.error();
  }
  auto body = parse_object(request.body(), {"name", "competent_unit", "developer_unit", "kind"});
  if (!body) {
    return body.error();
  }
  apps::NewApp app;
  for (auto [field, into] :
       {std::pair{"name", &app.name}, std::pair{"competent_unit", &app.competent_unit},
        std::pair{"developer_unit", &app.developer_unit}}) {
    auto value = required_string(*body, field, 256);
    if (!value) {
      return value.error();
    }
    *into = std::move(*value);
  }
  auto kind_text = required_string(*body, "kind", 16);
  if (!kind_text) {
    return kind_text.error();
  }
  auto kind = apps::kind_from_string(*kind_text);
  if (!kind) {
    return make_error("app_kind_invalid", "kind must be \"cloud\" or \"ukey\"");
  }
  app.kind = *kind;
  auto made = services.apps.register_app(app, principal->user_id);
  if (!made) {
    return made.error();
  }
  services.changes.app(made->app.id);
  if (auto a = audit_change(services, context, actor_of(*principal), "app.register",
                            "app:" + made->app.id,
                            {{"client_id", made->app.client_id},
                             {"name", made->app.name},
                             {"competent_unit", made->app.competent_unit},
                             {"developer_unit", made->app.developer_unit},
                             {"kind", std::string(apps::to_string(made->app.kind))}});
      !a) {
    return a.error();
  }
  return json_ok(status::created, credentials_json(*made));
}

Result<Response> search_apps(Services& services, const Request& request,
                             const RequestContext& context) {
  auto principal = reader(services, request, context, "app.list", "apps");
  if (!principal) {
    return principal.error();
  }
  auto paging = parse_paging(request.target());
  if (!paging) {
    return paging.error();
  }
  auto field = apps::SearchField::any;
  if (auto name = query_param(request.target(), "field")) {
    auto parsed = apps::search_field_from_string(*name);
    if (!parsed) {
      return make_error("field_invalid", "field must be name, competent_unit or developer_unit");
    }
    field = *parsed;
  }
  std::string q = query_param(request.target(), "q").value_or("");
  if (q.size() > 256) {
    return make_error("field_invalid", "q is longer than 256 bytes");
  }
  auto page = services.apps.search(q, field, paging->offset, paging->limit);
  if (!page) {
    return page.error();
  }
  json::array items;
  for (const auto& app : page->items) {
    items.push_back(app_json(app));
  }
  return json_ok(status::ok, page_json(std::move(items), page->total, *paging));
}

Result<Response> get_app(Services& services, const Request& request,
                         const RequestContext& context) {
  std::string id(context.param("id"));
  auto principal = reader(services, request, context, "app.get", "app:" + id);
  if (!principal) {
    return principal.error();
  }
  auto app = services.apps.get(id);
  if (!app) {
    return app.error();
  }
  return json_ok(status::ok, app_json(*app));
}

// disable, enable and rotate-secret: {version} in, the app (and for a
// rotation the new secret) out.
enum class Change { disable, enable, rotate_secret };

Result<Response> change_app(Services& services, const Request& request,
                            const RequestContext& context, Change change) {
  static constexpr const char* kActions[] = {"app.disable", "app.enable", "app.rotate_secret"};
  const std::string action = kActions[static_cast<int>(change)];
  std::string id(context.param("id"));
  auto principal = admin(services, request, context, action, "app:" + id);
  if (!principal) {
    return principal.error();
  }
  auto body = parse_object(request.body(), {"version"});
  if (!body) {
    return body.error();
  }
  auto version = optional_int(*body, "version");
  if (!version) {
    return version.error();
  }
  if (!*version) {
    return make_error("field_missing", "version is required");
  }
  Result<apps::Credentials> done = make_error("app_not_found", "");
  if (change == Change::rotate_secret) {
    done = services.apps.rotate_secret(id, **version);
  } else {
    auto app = change == Change::disable ? services.apps.disable(id, **version)
                                         : services.apps.enable(id, **version);
    if (app) {
      done = apps::Credentials{std::move(*app), Secret()};
    } else {
      done = app.error();
    }
  }
  if (!done) {
    return done.error();
  }
  const apps::App& app = done->app;
  services.changes.app(app.id);
  if (auto a = audit_change(services, context, actor_of(*principal), action, "app:" + app.id,
                            {{"client_id", app.client_id},
                             {"status", std::string(apps::to_string(app.status))},
                             {"version", std::to_string(app.version)}});
      !a) {
    return a.error();
  }
  if (change == Change::rotate_secret) {
    return json_ok(status::ok, credentials_json(*done));
  }
  return json_ok(status::ok, app_json(app));
}

// {version, rate_per_s, burst} sets the app's own signing rate limit;
// {version} alone returns it to [signing]'s default. The node that serves it
// reloads the app at once; the others hear the app notice.
Result<Response> set_rate_limit(Services& services, const Request& request,
                                const RequestContext& context) {
  std::string id(context.param("id"));
  auto principal = admin(services, request, context, "app.set_rate_limit", "app:" + id);
  if (!principal) {
    return principal.error();
  }
  auto body = parse_object(request.body(), {"version", "rate_per_s", "burst"});
  if (!body) {
    return body.error();
  }
  auto version = required_version(*body);
  if (!version) {
    return version.error();
  }
  auto rate = optional_int(*body, "rate_per_s");
  if (!rate) {
    return rate.error();
  }
  auto burst = optional_int(*body, "burst");
  if (!burst) {
    return burst.error();
  }
  if (rate->has_value() != burst->has_value()) {
    return make_error("field_missing", "give rate_per_s and burst together, or neither");
  }
  std::optional<apps::AppRateLimit> limit;
  if (*rate) {
    // The store checks the bounds; this only keeps the casts honest.
    constexpr std::int64_t kMax = std::numeric_limits<std::uint32_t>::max();
    if (**rate < 0 || **rate > kMax || **burst < 0 || **burst > kMax) {
      return make_error("app_rate_limit_invalid",
                        "rate_per_s must be 0 (unlimited) to 1000000 and burst 1 to 10000000");
    }
    limit =
        apps::AppRateLimit{static_cast<std::uint32_t>(**rate), static_cast<std::uint32_t>(**burst)};
  }
  auto app = services.apps.set_rate_limit(id, *version, limit);
  if (!app) {
    return app.error();
  }
  services.changes.app(app->id);
  if (auto a = audit_change(services, context, actor_of(*principal), "app.set_rate_limit",
                            "app:" + app->id,
                            {{"client_id", app->client_id},
                             {"rate_per_s", limit ? std::to_string(limit->rate_per_s) : "default"},
                             {"burst", limit ? std::to_string(limit->burst) : "default"},
                             {"version", std::to_string(app->version)}});
      !a) {
    return a.error();
  }
  return json_ok(status::ok, app_json(*app));
}

}  // namespace

void add_app_routes(server::Router& router, Services& services) {
  router.add_async(verb::post, "/api/v1/apps", "app_register",
                   offload(services, [&services](const Request& r, const RequestContext& c) {
                     return register_app(services, r, c);
                   }));
  router.add_async(verb::get, "/api/v1/apps", "app_search",
                   offload(services, [&services](const Request& r, const RequestContext& c) {
                     return search_apps(services, r, c);
                   }));
  router.add_async(verb::get, "/api/v1/apps/{id}", "app_get",
                   offload(services, [&services](const Request& r, const RequestContext& c) {
                     return get_app(services, r, c);
                   }));
  for (auto [path, name, change] :
       {std::tuple{"/api/v1/apps/{id}/disable", "app_disable", Change::disable},
        std::tuple{"/api/v1/apps/{id}/enable", "app_enable", Change::enable},
        std::tuple{"/api/v1/apps/{id}/rotate-secret", "app_rotate_secret",
                   Change::rotate_secret}}) {
    router.add_async(
        verb::post, path, name,
        offload(services, [&services, change = change](const Request& r, const RequestContext& c) {
          return change_app(services, r, c, change);
        }));
  }
  router.add_async(verb::post, "/api/v1/apps/{id}/rate-limit", "app_set_rate_limit",
                   offload(services, [&services](const Request& r, const RequestContext& c) {
                     return set_rate_limit(services, r, c);
                   }));
}

}  // namespace seald::api
