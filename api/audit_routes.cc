// The audit log, for auditors only: filtered newest-first pages and a walk of
// the whole hash chain. Reading changes nothing, so only refusals are audited.

#include <cctype>
#include <string>
#include <utility>

#include "api/account_access.h"
#include "api/handler_kit.h"
#include "api/request_parts.h"
#include "api/routes.h"

namespace seald::api {
namespace {

using server::Request;
using server::RequestContext;
using server::Response;
using server::http::status;
using server::http::verb;

// A stream entry id ("1700000000000-0"), so a forged cursor cannot reach
// Redis as a malformed range bound.
bool valid_cursor(std::string_view cursor) {
  auto dash = cursor.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == cursor.size() ||
      cursor.size() > 41) {
    return false;
  }
  for (std::size_t i = 0; i < cursor.size(); ++i) {
    if (i != dash && !std::isdigit(static_cast<unsigned char>(cursor[i]))) {
      return false;
    }
  }
  return true;
}

boost::json::object record_json(const audit::Record& record) {
  boost::json::object details;
  for (const auto& [name, value] : record.details) {
    details[name] = value;
  }
  boost::json::object out;
  out["id"] = record.id;
  out["time_ms"] = record.time_ms;
  out["actor"] = record.actor;
  out["action"] = record.action;
  out["target"] = record.target;
  out["result"] = record.result;
  out["request_id"] = record.request_id;
  out["client"] = record.client;
  out["details"] = std::move(details);
  out["prev_hash"] = record.prev_hash;
  out["hash"] = record.hash;
  return out;
}

Result<authz::Principal> auditor(Services& services, const Request& request,
                                 const RequestContext& context, const std::string& action) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  if (auto allowed =
          require_role(services, context, *principal, authz::Role::auditor, action, "audit");
      !allowed) {
    return allowed.error();
  }
  return principal;
}

Result<Response> list_audit(Services& services, const Request& request,
                            const RequestContext& context) {
  if (auto principal = auditor(services, request, context, "audit.list"); !principal) {
    return principal.error();
  }
  auto paging = parse_paging(request.target());
  if (!paging) {
    return paging.error();
  }
  std::string target(request.target());
  audit::Filter filter;
  filter.actor = query_param(target, "actor").value_or("");
  filter.action = query_param(target, "action").value_or("");
  filter.target = query_param(target, "target").value_or("");
  std::string cursor = query_param(target, "cursor").value_or("");
  if (!cursor.empty() && !valid_cursor(cursor)) {
    return make_error("cursor_invalid", "cursor must be the next_cursor of an earlier page");
  }
  auto page = services.audit.list(filter, cursor, paging->limit);
  if (!page) {
    return page.error();
  }
  boost::json::array items;
  for (const auto& record : page->records) {
    items.push_back(record_json(record));
  }
  boost::json::object out;
  out["items"] = std::move(items);
  if (page->next_cursor.empty()) {
    out["next_cursor"] = nullptr;
  } else {
    out["next_cursor"] = page->next_cursor;
  }
  return json_ok(status::ok, out);
}

Result<Response> verify_audit(Services& services, const Request& request,
                              const RequestContext& context) {
  if (auto principal = auditor(services, request, context, "audit.verify"); !principal) {
    return principal.error();
  }
  auto verification = services.audit.verify();
  if (!verification) {
    return verification.error();
  }
  boost::json::object out;
  out["intact"] = verification->intact;
  out["checked"] = verification->checked;
  if (verification->intact) {
    out["first_broken_id"] = nullptr;
    out["reason"] = nullptr;
  } else {
    out["first_broken_id"] = verification->first_broken_id;
    out["reason"] = verification->reason;
  }
  return json_ok(status::ok, out);
}

}  // namespace

void add_audit_routes(server::Router& router, Services& services) {
  router.add_async(verb::get, "/api/v1/audit", "audit_list",
                   offload(services, [&services](const Request& r, const RequestContext& c) {
                     return list_audit(services, r, c);
                   }));
  router.add_async(verb::get, "/api/v1/audit/verify", "audit_verify",
                   offload(services, [&services](const Request& r, const RequestContext& c) {
                     return verify_audit(services, r, c);
                   }));
}

}  // namespace seald::api
