#pragma once

// Authorisation decisions: small pure functions over a Principal, so the
// HTTP layer's checks read as sentences and tests need no Redis. A role
// grants exactly its own powers: a system admin is not a reviewer, an
// operator is not an auditor, unless granted that role too.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "authz/principal.h"

namespace seald::authz {

// Holds the role at all (for reviewers and org seal admins: for some org).
bool is(const Principal& principal, Role role);

// Is a reviewer of this approving org (not of its parent or child orgs:
// a reviewer decides exactly the applications addressed to their org).
bool reviews_for(const Principal& principal, std::string_view approving_org_id);

// Is an org seal admin whose scope covers the org: the scope's org is the
// org itself or one of its ancestors. `ancestors` is the org's chain of
// parent ids up to the root, as the org tree gives it. The scope's region
// is descriptive: an org lies in one region, so the org decides coverage.
bool admin_scope_covers(const Principal& principal, std::string_view org_id,
                        std::span<const std::string> ancestors);

// The org seal admin grants, to filter lists by subtree.
std::vector<Grant> admin_scopes(const Principal& principal);

}  // namespace seald::authz
