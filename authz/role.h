#pragma once

// Roles and grants. A grant is a role, bound where the role needs it: a
// reviewer to the approving org whose applications they decide, an org seal
// admin to a scope (a region and an org, covering the org's subtree). Each
// role carries only its own powers; no role implies another.

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace seald::authz {

enum class Role { system_admin, reviewer, operator_, org_seal_admin, auditor };

// "system_admin", "reviewer", "operator", "org_seal_admin", "auditor".
std::string_view to_string(Role role);
// role_invalid for any other name.
Result<Role> parse_role(std::string_view name);

struct Grant {
  Role role = Role::auditor;
  std::string org_id;  // reviewer: the approving org; org_seal_admin: the scope's org
  std::string region;  // org_seal_admin: the scope's region

  static Grant system_admin() { return {Role::system_admin, "", ""}; }
  static Grant operator_role() { return {Role::operator_, "", ""}; }
  static Grant auditor() { return {Role::auditor, "", ""}; }
  static Grant reviewer(std::string approving_org_id) {
    return {Role::reviewer, std::move(approving_org_id), ""};
  }
  static Grant org_seal_admin(std::string region, std::string org_id) {
    return {Role::org_seal_admin, std::move(org_id), std::move(region)};
  }

  friend bool operator==(const Grant&, const Grant&) = default;
};

// grant_invalid when a binding is missing, present where the role takes
// none, or not a plain id (1-128 characters, no '|' or control characters).
Status validate(const Grant& grant);

// The form stored in Redis: "role|org_id|region".
std::string encode(const Grant& grant);
std::optional<Grant> decode(std::string_view encoded);

}  // namespace seald::authz
