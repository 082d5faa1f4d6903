#include "api/seal_scope.h"

#include <algorithm>
#include <limits>

#include "api/application_access.h"
#include "api/handler_kit.h"
#include "authz/decisions.h"

namespace seald::api {

Result<bool> manages_seal(Services& services, const authz::Principal& principal,
                          const seals::Seal& seal) {
  if (!authz::is(principal, authz::Role::org_seal_admin)) {
    return false;
  }
  auto ancestors = services.orgs.ancestors(seal.org_id);
  if (!ancestors) {
    return ancestors.error();
  }
  return authz::admin_scope_covers(principal, seal.org_id, *ancestors);
}

Result<bool> may_read_seal(Services& services, const authz::Principal& principal,
                           const seals::Seal& seal) {
  if (principal.user_id == seal.applicant_id || authz::is(principal, authz::Role::operator_) ||
      authz::is(principal, authz::Role::system_admin)) {
    return true;
  }
  return manages_seal(services, principal, seal);
}

Result<std::vector<seals::Seal>> seals_in_scope(Services& services,
                                                const authz::Principal& principal,
                                                const std::optional<std::string>& under_org_id) {
  std::vector<std::string> roots;
  if (under_org_id) {
    auto ancestors = services.orgs.ancestors(*under_org_id);
    if (!ancestors) {
      return ancestors.error();
    }
    if (!authz::admin_scope_covers(principal, *under_org_id, *ancestors)) {
      return forbidden("an org seal admin scope covering org " + *under_org_id);
    }
    roots.push_back(*under_org_id);
  } else {
    for (const auto& scope : authz::admin_scopes(principal)) {
      roots.push_back(scope.org_id);
    }
  }
  std::vector<seals::Seal> out;
  std::unordered_set<std::string> seen;
  for (const auto& root : roots) {
    auto page = services.seals.list_in_subtree(root, 0, std::numeric_limits<std::size_t>::max());
    if (!page) {
      if (page.error().code == "org_not_found" && !under_org_id) {
        continue;  // a scope whose org was removed covers nothing
      }
      return page.error();
    }
    for (auto& seal : page->items) {
      if (seen.insert(seal.code).second) {
        out.push_back(std::move(seal));
      }
    }
  }
  if (roots.size() > 1) {
    std::sort(out.begin(), out.end(), [](const seals::Seal& a, const seals::Seal& b) {
      return a.enabled_ms != b.enabled_ms ? a.enabled_ms > b.enabled_ms : a.code > b.code;
    });
  }
  return out;
}

std::string seal_target(std::string_view code) {
  return "seal:" + std::string(code);
}

Result<SealReader> load_readable_seal(Services& services, const server::Request& request,
                                      const server::RequestContext& context, std::string action) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto seal = services.seals.get(context.param("code"));
  if (!seal) {
    return seal.error();
  }
  auto allowed = may_read_seal(services, *principal, *seal);
  if (!allowed) {
    return allowed.error();
  }
  if (!*allowed) {
    return refuse(services, context, *principal, std::move(action), seal_target(seal->code),
                  "the applicant, an operator, a system admin or an org seal admin of its org");
  }
  return SealReader{std::move(*principal), std::move(*seal)};
}

std::unordered_set<std::string> codes_of(const std::vector<seals::Seal>& seals) {
  std::unordered_set<std::string> codes;
  for (const auto& s : seals) {
    codes.insert(s.code);
  }
  return codes;
}

}  // namespace seald::api
