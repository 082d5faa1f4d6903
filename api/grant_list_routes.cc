// The grant lists of the manual's admin screens (§4.2, §4.3): the apps that
// hold the seals an org seal admin manages ("授权应用列表", with their kind;
// UKey apps read-only), the seals of one app within the admin's scope
// (filterable by org subtree), and the apps holding one seal.

#include <algorithm>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "api/application_access.h"
#include "api/handler_kit.h"
#include "api/request_parts.h"
#include "api/routes.h"
#include "api/seal_scope.h"
#include "api/seal_view.h"
#include "authz/decisions.h"

namespace seald::api {
namespace {

namespace json = boost::json;
using server::Request;
using server::RequestContext;
using server::Response;
using server::http::status;
using server::http::verb;

std::optional<std::string> org_filter(const Request& request) {
  auto org_id = query_param(request.target(), "org_id");
  if (org_id && org_id->empty()) {
    org_id.reset();
  }
  return org_id;
}

// The admin's seals, under org_id when given; an org outside the scope is an
// audited 403.
Result<std::vector<seals::Seal>> scoped_seals(Services& services, const RequestContext& context,
                                              const authz::Principal& principal,
                                              const std::string& action,
                                              const std::optional<std::string>& org_id) {
  auto scope = seals_in_scope(services, principal, org_id);
  if (!scope && scope.error().code == "forbidden") {
    return refuse(services, context, principal, action, "org:" + *org_id,
                  "an org seal admin scope covering org " + *org_id);
  }
  return scope;
}

template <class T>
std::vector<T> page_of(std::vector<T> all, const Paging& paging) {
  std::vector<T> out;
  for (std::size_t i = paging.offset; i < all.size() && out.size() < paging.limit; ++i) {
    out.push_back(std::move(all[i]));
  }
  return out;
}

Result<Response> seals_of_app(Services& services, const Request& request,
                              const RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  std::string app_id(context.param("id"));
  if (!authz::is(*principal, authz::Role::org_seal_admin)) {
    return refuse(services, context, *principal, "grant.list_seals", "app:" + app_id,
                  "the org seal admin role");
  }
  auto paging = parse_paging(request.target());
  if (!paging) {
    return paging.error();
  }
  auto app = services.apps.get(app_id);
  if (!app) {
    return app.error();
  }
  auto scope = scoped_seals(services, context, *principal, "grant.list_seals", org_filter(request));
  if (!scope) {
    return scope.error();
  }
  bool ukey = app->kind == apps::AppKind::ukey;
  std::vector<seals::Seal> matching;
  if (ukey) {
    std::copy_if(scope->begin(), scope->end(), std::back_inserter(matching),
                 [](const seals::Seal& s) { return s.usage == "ukey"; });
  } else {
    auto held = services.grants.seals_of_app(app->id);
    if (!held) {
      return held.error();
    }
    std::unordered_set<std::string> granted(held->begin(), held->end());
    std::copy_if(scope->begin(), scope->end(), std::back_inserter(matching),
                 [&](const seals::Seal& s) { return granted.contains(s.code); });
  }
  std::size_t total = matching.size();
  auto body = seal_page_json(services, page_of(std::move(matching), *paging), total, *paging);
  if (!body) {
    return body.error();
  }
  json::object app_json = app_summary_json(*app);
  app_json["read_only"] = ukey;
  (*body)["app"] = std::move(app_json);
  return json_ok(status::ok, *body);
}

Result<Response> apps_of_seal(Services& services, const Request& request,
                              const RequestContext& context) {
  auto reader = load_readable_seal(services, request, context, "grant.list_apps");
  if (!reader) {
    return reader.error();
  }
  auto body = seal_json(services, reader->seal);
  if (!body) {
    return body.error();
  }
  return json_ok(status::ok, json::object{{"seal_code", reader->seal.code},
                                          {"items", std::move((*body)["apps"])}});
}

// Apps holding grants on the admin's seals, and the UKey apps (which hold
// every UKey seal without one), each with how many of those seals it holds.
Result<Response> managed_apps(Services& services, const Request& request,
                              const RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  if (!authz::is(*principal, authz::Role::org_seal_admin)) {
    return refuse(services, context, *principal, "grant.list_managed_apps", "apps",
                  "the org seal admin role");
  }
  auto paging = parse_paging(request.target());
  if (!paging) {
    return paging.error();
  }
  auto kind = query_param(request.target(), "kind");
  if (kind && !kind->empty() && *kind != "cloud" && *kind != "ukey") {
    return make_error("field_invalid", "kind must be cloud or ukey");
  }
  auto scope =
      scoped_seals(services, context, *principal, "grant.list_managed_apps", org_filter(request));
  if (!scope) {
    return scope.error();
  }
  std::vector<std::string> codes;
  std::size_t ukey_seals = 0;
  for (const auto& s : *scope) {
    codes.push_back(s.code);
    ukey_seals += s.usage == "ukey" ? 1 : 0;
  }
  auto holders = services.grants.apps_of_seals(codes);
  if (!holders) {
    return holders.error();
  }
  std::map<std::string, std::size_t> counts;  // app id -> seals held in scope
  for (const auto& ids : *holders) {
    for (const auto& id : ids) {
      ++counts[id];
    }
  }
  std::vector<json::object> items;
  if (!kind || kind->empty() || *kind == "cloud") {
    for (const auto& [id, count] : counts) {
      auto app = services.apps.get(id);
      if (!app) {
        if (app.error().code == "app_not_found") {
          continue;
        }
        return app.error();
      }
      json::object o = app_summary_json(*app);
      o["read_only"] = false;
      o["seal_count"] = count;
      items.push_back(std::move(o));
    }
  }
  if (!kind || kind->empty() || *kind == "ukey") {
    auto ukey = ukey_apps(services);
    if (!ukey) {
      return ukey.error();
    }
    for (const auto& app : *ukey) {
      json::object o = app_summary_json(app);
      o["read_only"] = true;
      o["seal_count"] = ukey_seals;
      items.push_back(std::move(o));
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const json::object& a, const json::object& b) {
    return a.at("name").as_string() < b.at("name").as_string();
  });
  std::size_t total = items.size();
  json::array out;
  for (auto& o : page_of(std::move(items), *paging)) {
    out.push_back(std::move(o));
  }
  return json_ok(status::ok, json::object{{"items", std::move(out)},
                                          {"total", total},
                                          {"offset", paging->offset},
                                          {"limit", paging->limit}});
}

}  // namespace

void add_grant_list_routes(server::Router& router, Services& services) {
  router.add_async(verb::get, "/api/v1/apps/{id}/seals", "grant_list_seals",
                   offload(services, seals_of_app));
  router.add_async(verb::get, "/api/v1/seals/{code}/apps", "grant_list_apps",
                   offload(services, apps_of_seal));
  router.add_async(verb::get, "/api/v1/managed-apps", "grant_list_managed_apps",
                   offload(services, managed_apps));
}

}  // namespace seald::api
