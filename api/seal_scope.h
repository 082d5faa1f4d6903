#pragma once

// Which seals a caller may see and manage. An org seal admin manages the
// seals of the orgs its scopes cover (a scope's org and everything under
// it); the applicant of a seal, operators and system admins may read it.
// Grant handlers resolve "all seals in scope, optionally under one org" here
// once, so single, batch and "all" requests share one notion of scope.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "api/services.h"
#include "authz/principal.h"
#include "core/error.h"
#include "seals/seal.h"
#include "server/handler.h"

namespace seald::api {

// An org seal admin whose scope covers the seal's org.
Result<bool> manages_seal(Services& services, const authz::Principal& principal,
                          const seals::Seal& seal);

// manages_seal, or the applicant, an operator or a system admin.
Result<bool> may_read_seal(Services& services, const authz::Principal& principal,
                           const seals::Seal& seal);

// Every seal an org seal admin manages, or, with under_org_id, those under
// that org (which the admin's scope must cover: forbidden otherwise, naming
// the org). Newest enabled first, each once even when scopes overlap.
Result<std::vector<seals::Seal>> seals_in_scope(Services& services,
                                                const authz::Principal& principal,
                                                const std::optional<std::string>& under_org_id);

// "seal:<code>", the audit target of a seal.
std::string seal_target(std::string_view code);

// The caller and the seal of the path's {code}, when may_read_seal allows;
// otherwise an audited 403 under action.
struct SealReader {
  authz::Principal principal;
  seals::Seal seal;
};
Result<SealReader> load_readable_seal(Services& services, const server::Request& request,
                                      const server::RequestContext& context, std::string action);

std::unordered_set<std::string> codes_of(const std::vector<seals::Seal>& seals);

}  // namespace seald::api
