// The state changes of an application: the applicant edits, resubmits,
// withdraws and pays; a reviewer of its approving org returns or approves.
// Each checks who may act before it reads the body, so a refused caller
// learns nothing from validation messages, and every refusal is audited.

#include <functional>
#include <optional>
#include <string>

#include "api/application_access.h"
#include "api/application_form.h"
#include "api/application_route_groups.h"
#include "api/application_view.h"
#include "api/handler_kit.h"
#include "api/json_body.h"
#include "authz/decisions.h"

namespace seald::api {
namespace {

using server::http::status;
using server::http::verb;

enum class Actor { applicant, reviewer };

struct Caller {
  authz::Principal principal;
  workflow::Application application;
};

// Authenticates, loads the application and checks the caller may act on it.
Result<Caller> authorise(Services& services, const server::Request& request,
                         const server::RequestContext& context, Actor actor, std::string action) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto app = load_application(services, context.param("id"));
  if (!app) {
    return app.error();
  }
  bool allowed = actor == Actor::applicant
                     ? principal->user_id == app->applicant_id
                     : authz::reviews_for(*principal, app->form.approving_org_id);
  if (!allowed) {
    return refuse(services, context, *principal, std::move(action), application_target(app->id),
                  actor == Actor::applicant
                      ? std::string("the applicant")
                      : "the reviewer role for org " + app->form.approving_org_id);
  }
  return Caller{std::move(*principal), std::move(*app)};
}

Details transition_details(const workflow::Application& before) {
  return {{"from", std::string(workflow::to_string(before.state))}};
}

Result<server::Response> edit(Services& services, const server::Request& request,
                              const server::RequestContext& context) {
  auto caller = authorise(services, request, context, Actor::applicant, "application.edit");
  if (!caller) {
    return caller.error();
  }
  auto body = parse_object(
      request.body(), {"version", "kind", "org_id", "approving_org_id", "form_upload_id",
                       "seal_name", "seal_type", "usage", "validity", "creation_method",
                       "image_upload_id", "payment_mode", "seal_code", "reason", "new_credit_code",
                       "new_name", "new_parent_org_id", "licence_upload_id", "region_code"});
  if (!body) {
    return body.error();
  }
  auto version = required_version(*body);
  if (!version) {
    return version.error();
  }
  auto form = form_from_json(*body);
  if (!form) {
    return form.error();
  }
  // The kind cannot change, so it may be left out; a different one is refused
  // by the workflow.
  if (form->kind.empty()) {
    form->kind = caller->application.form.kind;
  }
  if (auto s = complete_and_check(services, caller->principal.user_id, *form); !s) {
    return form_error_response(s.error());
  }
  // A different kind is the workflow's to refuse (field_invalid).
  if (form->kind == caller->application.form.kind) {
    if (auto s = check_seal_change(services, caller->principal, *form); !s) {
      return form_error_response(s.error());
    }
  }
  auto app =
      services.workflow.edit(caller->application.id, *version, caller->principal.user_id, *form);
  if (!app) {
    return app.error();
  }
  return answer_change(services, context, caller->principal, "application.edit", *app, status::ok,
                       transition_details(caller->application));
}

// A change whose body is {version, comment?} (or just {version}).
using Change = std::function<Result<workflow::Application>(
    Services&, const Caller&, std::int64_t version, const std::string& comment)>;

struct ChangeRoute {
  const char* path;
  const char* name;
  const char* action;
  Actor actor;
  bool takes_comment;
  bool comment_required;
  Change change;
};

Result<server::Response> run_change(Services& services, const ChangeRoute& route,
                                    const server::Request& request,
                                    const server::RequestContext& context) {
  auto caller = authorise(services, request, context, route.actor, route.action);
  if (!caller) {
    return caller.error();
  }
  auto body = route.takes_comment ? parse_object(request.body(), {"version", "comment"})
                                  : parse_object(request.body(), {"version"});
  if (!body) {
    return body.error();
  }
  auto version = required_version(*body);
  if (!version) {
    return version.error();
  }
  std::string comment;
  if (route.takes_comment) {
    if (route.comment_required) {
      auto given = required_string(*body, "comment", 4096);
      if (!given) {
        return given.error();
      }
      comment = std::move(*given);
    } else {
      auto given = optional_string(*body, "comment", 4096);
      if (!given) {
        return given.error();
      }
      comment = given->value_or("");
    }
  }
  auto app = route.change(services, *caller, *version, comment);
  if (!app) {
    return app.error();
  }
  return answer_change(services, context, caller->principal, route.action, *app, status::ok,
                       transition_details(caller->application));
}

Result<server::Response> approve(Services& services, const server::Request& request,
                                 const server::RequestContext& context) {
  auto caller = authorise(services, request, context, Actor::reviewer, "application.approve");
  if (!caller) {
    return caller.error();
  }
  auto body = parse_object(request.body(), {"version", "comment"});
  if (!body) {
    return body.error();
  }
  auto version = required_version(*body);
  if (!version) {
    return version.error();
  }
  auto comment = optional_string(*body, "comment", 4096);
  if (!comment) {
    return comment.error();
  }
  auto approval = services.workflow.approve(caller->application.id, *version,
                                            caller->principal.user_id, comment->value_or(""));
  if (!approval) {
    return approval.error();
  }
  Details details = transition_details(caller->application);
  if (approval->effect_error) {
    details.emplace_back("effect_error", approval->effect_error->code);
  }
  auto answer = answer_change(services, context, caller->principal, "application.approve",
                              approval->application, status::ok, std::move(details));
  if (!answer || !approval->effect_error) {
    return answer;
  }
  // The approval is committed and stands; its effect (role grant, org
  // change) failed and stays pending for a retry. Saying so beats a 5xx
  // that would invite the reviewer to approve again.
  auto json = application_json(approval->application);
  json["effect_error"] = {{"error", approval->effect_error->code},
                          {"message", approval->effect_error->message}};
  return json_ok(status::ok, json);
}

const ChangeRoute kChangeRoutes[] = {
    {"/api/v1/applications/{id}/resubmit", "application_resubmit", "application.resubmit",
     Actor::applicant, true, false,
     [](Services& s, const Caller& c, std::int64_t v, const std::string& comment) {
       return s.workflow.resubmit(c.application.id, v, c.principal.user_id, comment);
     }},
    {"/api/v1/applications/{id}/withdraw", "application_withdraw", "application.withdraw",
     Actor::applicant, true, false,
     [](Services& s, const Caller& c, std::int64_t v, const std::string& comment) {
       return s.workflow.withdraw(c.application.id, v, c.principal.user_id, comment);
     }},
    {"/api/v1/applications/{id}/pay", "application_pay", "application.pay", Actor::applicant, false,
     false,
     [](Services& s, const Caller& c, std::int64_t v, const std::string&) {
       return s.workflow.mark_paid(c.application.id, v, c.principal.user_id);
     }},
    {"/api/v1/applications/{id}/return", "application_return", "application.return",
     Actor::reviewer, true, true,
     [](Services& s, const Caller& c, std::int64_t v, const std::string& comment) {
       return s.workflow.return_to_applicant(c.application.id, v, c.principal.user_id, comment);
     }},
};

}  // namespace

void add_application_change_routes(server::Router& router, Services& services) {
  router.add_async(verb::put, "/api/v1/applications/{id}", "application_edit",
                   offload(services, [&services](const auto& request, const auto& context) {
                     return edit(services, request, context);
                   }));
  for (const auto& route : kChangeRoutes) {
    router.add_async(
        verb::post, route.path, route.name,
        offload(services, [&services, &route](const auto& request, const auto& context) {
          return run_change(services, route, request, context);
        }));
  }
  router.add_async(verb::post, "/api/v1/applications/{id}/approve", "application_approve",
                   offload(services, [&services](const auto& request, const auto& context) {
                     return approve(services, request, context);
                   }));
}

}  // namespace seald::api
