#pragma once

// What the application and upload handlers share: who may see an
// application, refusals that land in the audit log, the answer to a
// successful change (audited first), and the 422 answer for a form that
// names an org or upload that is not there.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/services.h"
#include "authz/principal.h"
#include "core/error.h"
#include "server/http.h"
#include "server/request_context.h"
#include "workflow/application.h"

namespace seald::api {

using Details = std::vector<std::pair<std::string, std::string>>;

// The application, or application_not_found (also for an id that could not
// be one, so a malformed id reads as what it is: nothing there).
Result<workflow::Application> load_application(Services& services, std::string_view id);

// The applicant, a reviewer of its approving org, an operator or a system admin.
bool may_read(const authz::Principal& principal, const workflow::Application& application);

// Audits the refusal (result "forbidden") and returns forbidden(what_is_needed).
// An audit failure is logged by audit_action; the caller is refused either way.
Error refuse(Services& services, const server::RequestContext& context,
             const authz::Principal& principal, std::string action, std::string target,
             std::string what_is_needed);

// Loads the application and checks may_read; a refusal is audited under action.
Result<workflow::Application> load_readable(Services& services,
                                            const server::RequestContext& context,
                                            const authz::Principal& principal, std::string_view id,
                                            std::string action);

// Audits a successful change, then answers the application as JSON; 503
// audit_unavailable when the audit record could not be written.
Result<server::Response> answer_change(Services& services, const server::RequestContext& context,
                                       const authz::Principal& principal, std::string action,
                                       const workflow::Application& application,
                                       server::http::status status, Details details = {});

// A form that names a missing org, upload or seal is invalid input, not a
// missing resource: docs/api.md answers 422 org_not_found / upload_not_found /
// seal_not_found there, while the same codes mean 404 on the resources' own
// paths. Every other error goes through error_response().
server::Response form_error_response(const Error& error);

std::string application_target(std::string_view id);

}  // namespace seald::api
