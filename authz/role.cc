#include "authz/role.h"

#include <array>
#include <utility>

namespace seald::authz {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 5> kNames{{
    {Role::system_admin, "system_admin"},
    {Role::reviewer, "reviewer"},
    {Role::operator_, "operator"},
    {Role::org_seal_admin, "org_seal_admin"},
    {Role::auditor, "auditor"},
}};

bool plain_id(std::string_view id) {
  if (id.empty() || id.size() > 128) {
    return false;
  }
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7f || c == '|') {
      return false;
    }
  }
  return true;
}

Error invalid(std::string message) {
  return make_error("grant_invalid", std::move(message));
}

}  // namespace

std::string_view to_string(Role role) {
  for (const auto& [r, name] : kNames) {
    if (r == role) {
      return name;
    }
  }
  return "unknown";
}

Result<Role> parse_role(std::string_view name) {
  for (const auto& [r, n] : kNames) {
    if (n == name) {
      return r;
    }
  }
  return make_error("role_invalid",
                    "unknown role; expected one of system_admin, reviewer, "
                    "operator, org_seal_admin, auditor");
}

Status validate(const Grant& grant) {
  switch (grant.role) {
    case Role::reviewer:
      if (!plain_id(grant.org_id) || !grant.region.empty()) {
        return invalid("a reviewer grant needs an approving org id and no region");
      }
      return {};
    case Role::org_seal_admin:
      if (!plain_id(grant.org_id) || !plain_id(grant.region)) {
        return invalid("an org seal admin grant needs a region and an org id");
      }
      return {};
    case Role::system_admin:
    case Role::operator_:
    case Role::auditor:
      if (!grant.org_id.empty() || !grant.region.empty()) {
        return invalid(std::string(to_string(grant.role)) + " is not bound to an org or region");
      }
      return {};
  }
  return invalid("unknown role");
}

std::string encode(const Grant& grant) {
  return std::string(to_string(grant.role)) + "|" + grant.org_id + "|" + grant.region;
}

std::optional<Grant> decode(std::string_view encoded) {
  auto first = encoded.find('|');
  if (first == std::string_view::npos) {
    return std::nullopt;
  }
  auto second = encoded.find('|', first + 1);
  if (second == std::string_view::npos) {
    return std::nullopt;
  }
  auto role = parse_role(encoded.substr(0, first));
  if (!role) {
    return std::nullopt;
  }
  return Grant{*role, std::string(encoded.substr(first + 1, second - first - 1)),
               std::string(encoded.substr(second + 1))};
}

}  // namespace seald::authz
