#pragma once

// The organisation tree, persisted in Redis (keys in docs/redis/orgs.md).
// Every change is one Lua script, so the record, the credit-code index, the
// children sets and the subtree index never disagree, and a refused change
// writes nothing.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "orgs/organisation.h"
#include "redis/pool.h"

namespace seald::orgs {

class OrgStore {
 public:
  explicit OrgStore(redis::Pool& pool) : pool_(pool) {}

  // Fails with credit_code_invalid, org_name_invalid, org_region_invalid,
  // org_parent_not_found or credit_code_taken.
  Result<Organisation> create(const NewOrganisation& org);

  Result<Organisation> get(std::string_view id);
  // Accepts the code in any letter case.
  Result<Organisation> get_by_credit_code(std::string_view code);

  // Direct children in creation order; an empty parent_id lists the roots.
  Result<OrgPage> list_children(std::string_view parent_id, std::size_t offset, std::size_t limit);
  // The root and everything under it, depth first: each organisation is
  // followed by its subtree, siblings in creation order.
  Result<OrgPage> list_subtree(std::string_view root_id, std::size_t offset, std::size_t limit);

  // Parent, grandparent, ... up to the root (empty for a root).
  Result<std::vector<std::string>> ancestors(std::string_view id);
  // True when org is root_id itself or lies anywhere below it.
  Result<bool> is_in_subtree(std::string_view org_id, std::string_view root_id);

  // Applies an approved org_update in one atomic step when the record is
  // still at expected_version; returns the record as it now is. Fails with
  // org_change_empty, org_not_found, org_version_conflict,
  // credit_code_invalid, credit_code_taken, org_name_invalid,
  // org_region_invalid, org_parent_not_found or org_cycle.
  Result<Organisation> apply_change(std::string_view id, std::int64_t expected_version,
                                    const OrgChange& change);

 private:
  Result<OrgPage> load_page(redis::Connection& conn, const std::vector<std::string>& ids,
                            std::size_t total);

  redis::Pool& pool_;
};

}  // namespace seald::orgs
