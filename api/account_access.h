#pragma once

// What the account, org and audit handlers share: the refusal path (a 403 to
// an authenticated caller is itself an audit event) and the one list shape.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/request_parts.h"
#include "api/services.h"
#include "authz/principal.h"
#include "authz/role.h"
#include "core/error.h"
#include "server/request_context.h"

namespace seald::api {

// Ok when the principal holds role; otherwise audits the refused action
// (result "forbidden") and returns forbidden naming the role. A failure to
// audit the refusal is logged by audit_action and does not turn the 403 into
// a 503: the caller is refused either way.
Status require_role(Services& services, const server::RequestContext& context,
                    const authz::Principal& principal, authz::Role role, const std::string& action,
                    const std::string& target);

// Runs the audit of a successful change; audit_unavailable when it failed, so
// the handler answers 503 rather than claim an unrecorded change.
Status audit_change(Services& services, const server::RequestContext& context,
                    const std::string& actor, const std::string& action, const std::string& target,
                    std::vector<std::pair<std::string, std::string>> details = {});

// {"items": [...], "total": N, "offset": O, "limit": L}
boost::json::object page_json(boost::json::array items, std::size_t total, const Paging& paging);

}  // namespace seald::api
