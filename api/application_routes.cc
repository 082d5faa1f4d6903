// /applications: filing an application, reading it, the applicant's list and
// the reviewers' and operators' queues. The state changes live in
// application_changes.cc, the printable form in application_printout.cc.

#include <string>

#include "api/application_access.h"
#include "api/application_form.h"
#include "api/application_route_groups.h"
#include "api/application_view.h"
#include "api/handler_kit.h"
#include "api/json_body.h"
#include "api/request_parts.h"
#include "api/routes.h"
#include "authz/decisions.h"

namespace seald::api {
namespace {

using server::http::status;
using server::http::verb;

Result<server::Response> create_application(Services& services, const server::Request& request,
                                            const server::RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto body = parse_object(
      request.body(),
      {"kind", "org_id", "approving_org_id", "form_upload_id", "seal_name", "seal_type", "usage",
       "validity", "creation_method", "image_upload_id", "payment_mode", "seal_code", "reason",
       "new_credit_code", "new_name", "new_parent_org_id", "licence_upload_id", "region_code"});
  if (!body) {
    return body.error();
  }
  auto form = form_from_json(*body);
  if (!form) {
    return form.error();
  }
  if (auto s = complete_and_check(services, principal->user_id, *form); !s) {
    return form_error_response(s.error());
  }
  if (auto s = check_seal_change(services, *principal, *form); !s) {
    return form_error_response(s.error());
  }
  auto app = services.workflow.create(principal->user_id, *form);
  if (!app) {
    return app.error();
  }
  return answer_change(services, context, *principal, "application.create", *app, status::created,
                       {{"kind", std::string(workflow::to_string(app->kind))}});
}

Result<server::Response> list_own(Services& services, const server::Request& request) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto paging = parse_paging(request.target());
  if (!paging) {
    return paging.error();
  }
  workflow::ApplicantFilter filter;
  if (auto kind = query_param(request.target(), "kind")) {
    filter.kind = workflow::parse_kind(*kind);
    if (!filter.kind) {
      return make_error("field_invalid", "kind: no application kind '" + *kind + "'");
    }
  }
  if (auto state = query_param(request.target(), "state")) {
    filter.state = workflow::parse_state(*state);
    if (!filter.state) {
      return make_error("field_invalid", "state: no application state '" + *state + "'");
    }
  }
  auto page = services.workflow.list_by_applicant(principal->user_id, filter, paging->offset,
                                                  paging->limit);
  if (!page) {
    return page.error();
  }
  return json_ok(status::ok, application_page_json(*page, paging->offset, paging->limit));
}

Result<server::Response> get_one(Services& services, const server::Request& request,
                                 const server::RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto app = load_readable(services, context, *principal, context.param("id"), "application.read");
  if (!app) {
    return app.error();
  }
  return json_ok(status::ok, application_json(*app));
}

Result<server::Response> get_history(Services& services, const server::Request& request,
                                     const server::RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto app =
      load_readable(services, context, *principal, context.param("id"), "application.history");
  if (!app) {
    return app.error();
  }
  auto history = services.workflow.history(app->id);
  if (!history) {
    return history.error();
  }
  return json_ok(status::ok, history_json(*history));
}

Result<server::Response> review_queue(Services& services, const server::Request& request,
                                      const server::RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto org_id = query_param(request.target(), "org_id");
  if (!org_id || org_id->empty()) {
    return make_error("field_missing", "org_id: name the approving org whose queue to list");
  }
  if (!authz::reviews_for(*principal, *org_id)) {
    return refuse(services, context, *principal, "application.review_queue", "org:" + *org_id,
                  "the reviewer role for org " + *org_id);
  }
  auto paging = parse_paging(request.target());
  if (!paging) {
    return paging.error();
  }
  auto page = services.workflow.review_queue(*org_id, paging->offset, paging->limit);
  if (!page) {
    return page.error();
  }
  return json_ok(status::ok, application_page_json(*page, paging->offset, paging->limit));
}

Result<server::Response> make_queue(Services& services, const server::Request& request,
                                    const server::RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  if (!authz::is(*principal, authz::Role::operator_)) {
    return refuse(services, context, *principal, "application.make_queue", "make_queue",
                  "the operator role");
  }
  auto paging = parse_paging(request.target());
  if (!paging) {
    return paging.error();
  }
  auto page =
      services.workflow.list_by_state(workflow::State::pending_make, paging->offset, paging->limit);
  if (!page) {
    return page.error();
  }
  return json_ok(status::ok, application_page_json(*page, paging->offset, paging->limit));
}

}  // namespace

void add_application_read_routes(server::Router& router, Services& services) {
  router.add_async(verb::post, "/api/v1/applications", "application_create",
                   offload(services, [&services](const auto& request, const auto& context) {
                     return create_application(services, request, context);
                   }));
  router.add_async(verb::get, "/api/v1/applications", "application_list",
                   offload(services, [&services](const auto& request, const auto&) {
                     return list_own(services, request);
                   }));
  router.add_async(verb::get, "/api/v1/applications/{id}", "application_get",
                   offload(services, [&services](const auto& request, const auto& context) {
                     return get_one(services, request, context);
                   }));
  router.add_async(verb::get, "/api/v1/applications/{id}/history", "application_history",
                   offload(services, [&services](const auto& request, const auto& context) {
                     return get_history(services, request, context);
                   }));
  router.add_async(verb::get, "/api/v1/review-queue", "review_queue",
                   offload(services, [&services](const auto& request, const auto& context) {
                     return review_queue(services, request, context);
                   }));
  router.add_async(verb::get, "/api/v1/make-queue", "make_queue",
                   offload(services, [&services](const auto& request, const auto& context) {
                     return make_queue(services, request, context);
                   }));
}

void add_application_routes(server::Router& router, Services& services) {
  add_upload_routes(router, services);
  add_application_read_routes(router, services);
  add_application_change_routes(router, services);
  add_application_printout_route(router, services);
}

}  // namespace seald::api
