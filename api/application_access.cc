#include "api/application_access.h"

#include "api/application_view.h"
#include "api/error_status.h"
#include "api/handler_kit.h"
#include "authz/decisions.h"
#include "server/json_response.h"

namespace seald::api {

std::string application_target(std::string_view id) {
  return "application:" + std::string(id);
}

Result<workflow::Application> load_application(Services& services, std::string_view id) {
  auto app = services.workflow.get(id);
  if (!app && (app.error().code == "field_invalid" || app.error().code == "field_missing")) {
    return make_error("application_not_found", "no application " + std::string(id));
  }
  return app;
}

bool may_read(const authz::Principal& principal, const workflow::Application& application) {
  return principal.user_id == application.applicant_id ||
         authz::reviews_for(principal, application.form.approving_org_id) ||
         authz::is(principal, authz::Role::operator_) ||
         authz::is(principal, authz::Role::system_admin);
}

Error refuse(Services& services, const server::RequestContext& context,
             const authz::Principal& principal, std::string action, std::string target,
             std::string what_is_needed) {
  (void)audit_action(services, context, actor_of(principal), std::move(action), std::move(target),
                     "forbidden");
  return forbidden(std::move(what_is_needed));
}

Result<workflow::Application> load_readable(Services& services,
                                            const server::RequestContext& context,
                                            const authz::Principal& principal, std::string_view id,
                                            std::string action) {
  auto app = load_application(services, id);
  if (!app) {
    return app.error();
  }
  if (!may_read(principal, *app)) {
    return refuse(services, context, principal, std::move(action), application_target(id),
                  "the applicant, a reviewer of the approving org, an operator or a system admin");
  }
  return app;
}

Result<server::Response> answer_change(Services& services, const server::RequestContext& context,
                                       const authz::Principal& principal, std::string action,
                                       const workflow::Application& application,
                                       server::http::status status, Details details) {
  details.emplace_back("state", std::string(workflow::to_string(application.state)));
  details.emplace_back("version", std::to_string(application.version));
  auto audited = audit_action(services, context, actor_of(principal), std::move(action),
                              application_target(application.id), "ok", std::move(details));
  if (!audited) {
    return make_error("audit_unavailable",
                      "the change was made but could not be audited; try again later");
  }
  return json_ok(status, application_json(application));
}

server::Response form_error_response(const Error& error) {
  if (error.code == "org_not_found" || error.code == "upload_not_found" ||
      error.code == "seal_not_found") {
    return server::json_error(server::http::status::unprocessable_entity, error);
  }
  return error_response(error);
}

}  // namespace seald::api
