#pragma once

// Who holds which grants, in Redis: a set of grants per user and, per role,
// a sorted set of its holders for the admin UI. Grant and revoke are single
// Lua scripts (the two keys change together) and idempotent.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "authz/role.h"
#include "core/error.h"
#include "redis/pool.h"

namespace seald::authz {

struct RoleHolder {
  std::string user_id;
  std::vector<Grant> grants;  // this user's grants of the role asked for
};

struct RoleHolderPage {
  std::vector<RoleHolder> items;
  std::uint64_t total = 0;
};

class RoleStore {
 public:
  static constexpr std::size_t kMaxPageSize = 100;

  explicit RoleStore(redis::Pool& pool) : pool_(pool) {}

  // True when the grant is new, false when the user already had it.
  // Errors: grant_invalid, user_not_found.
  Result<bool> grant(std::string_view user_id, const Grant& grant);

  // True when the user had the grant, false when not (not an error).
  Result<bool> revoke(std::string_view user_id, const Grant& grant);

  // Sorted by role, then org, then region.
  Result<std::vector<Grant>> grants_of(std::string_view user_id);

  // Users holding the role, in the order they first got it; limit capped.
  Result<RoleHolderPage> holders(Role role, std::size_t offset, std::size_t limit);

  // Number of users holding the role.
  Result<std::uint64_t> count_holders(Role role);

  static std::string grants_key(std::string_view user_id);
  static std::string holders_key(Role role);

 private:
  redis::Pool& pool_;
};

}  // namespace seald::authz
