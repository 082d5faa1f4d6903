#include "api/account_access.h"

#include <utility>

#include "api/handler_kit.h"

namespace seald::api {

Status require_role(Services& services, const server::RequestContext& context,
                    const authz::Principal& principal, authz::Role role, const std::string& action,
                    const std::string& target) {
  for (const auto& grant : principal.grants) {
    if (grant.role == role) {
      return {};
    }
  }
  std::string needed = "the " + std::string(authz::to_string(role)) + " role";
  (void)audit_action(services, context, actor_of(principal), action, target, "forbidden",
                     {{"needed", std::string(authz::to_string(role))}});
  return forbidden(needed);
}

Status audit_change(Services& services, const server::RequestContext& context,
                    const std::string& actor, const std::string& action, const std::string& target,
                    std::vector<std::pair<std::string, std::string>> details) {
  auto audited = audit_action(services, context, actor, action, target, "ok", std::move(details));
  if (!audited) {
    return make_error("audit_unavailable",
                      "the change was made but could not be recorded in the audit log; "
                      "try again later");
  }
  return {};
}

boost::json::object page_json(boost::json::array items, std::size_t total, const Paging& paging) {
  boost::json::object out;
  out["items"] = std::move(items);
  out["total"] = total;
  out["offset"] = paging.offset;
  out["limit"] = paging.limit;
  return out;
}

}  // namespace seald::api
