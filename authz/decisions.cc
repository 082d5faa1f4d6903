#include "authz/decisions.h"

#include <algorithm>

namespace seald::authz {

bool is(const Principal& principal, Role role) {
  return std::any_of(principal.grants.begin(), principal.grants.end(),
                     [role](const Grant& g) { return g.role == role; });
}

bool reviews_for(const Principal& principal, std::string_view approving_org_id) {
  if (approving_org_id.empty()) {
    return false;
  }
  return std::any_of(principal.grants.begin(), principal.grants.end(), [&](const Grant& g) {
    return g.role == Role::reviewer && g.org_id == approving_org_id;
  });
}

bool admin_scope_covers(const Principal& principal, std::string_view org_id,
                        std::span<const std::string> ancestors) {
  if (org_id.empty()) {
    return false;
  }
  for (const Grant& g : principal.grants) {
    if (g.role != Role::org_seal_admin) {
      continue;
    }
    if (g.org_id == org_id ||
        std::find(ancestors.begin(), ancestors.end(), g.org_id) != ancestors.end()) {
      return true;
    }
  }
  return false;
}

std::vector<Grant> admin_scopes(const Principal& principal) {
  std::vector<Grant> scopes;
  std::copy_if(principal.grants.begin(), principal.grants.end(), std::back_inserter(scopes),
               [](const Grant& g) { return g.role == Role::org_seal_admin; });
  return scopes;
}

}  // namespace seald::authz
