// Seal lifecycle over HTTP (report loss, restore, reissue, revoke). The
// normal path is an application of that kind: the applicant or an org seal
// admin files it, a reviewer approves it, and an operator carries it out
// with POST /applications/{id}/execute. A system admin may also act on a
// seal directly (POST /seals/{code}/report-loss, ...), for emergencies; that
// path is audited with path "direct" and the reason given.

#include <string>

#include "api/application_access.h"
#include "api/handler_kit.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "api/seal_scope.h"
#include "api/seal_view.h"
#include "authz/decisions.h"
#include "hsm/algorithms.h"
#include "seals/lifecycle.h"

namespace seald::api {
namespace {

using server::Request;
using server::RequestContext;
using server::Response;
using server::http::status;
using server::http::verb;

Result<std::optional<hsm::KeyAlgorithm>> key_algorithm(const boost::json::object& body) {
  auto text = optional_string(body, "key_algorithm", 16);
  if (!text) {
    return text.error();
  }
  if (!*text) {
    return std::optional<hsm::KeyAlgorithm>();
  }
  auto parsed = hsm::parse_key_algorithm(**text);
  if (!parsed) {
    return make_error("field_invalid",
                      "key_algorithm must be ec-p256, ec-p384, rsa-2048 or rsa-3072");
  }
  return std::optional<hsm::KeyAlgorithm>(*parsed);
}

// Audits the change and answers the seal. A failed follow-up step
// (seal_cleanup_pending) is audited too: the state change itself stands.
Result<Response> answer(Services& services, const RequestContext& context,
                        const authz::Principal& principal, seals::LifecycleAction action,
                        const seals::Seal& before, const Result<seals::Seal>& after,
                        std::vector<std::pair<std::string, std::string>> details) {
  std::string name = "seal." + std::string(seals::to_string(action));
  services.changes.seal(before.code);
  if (!after) {
    if (after.error().code == "seal_cleanup_pending") {
      details.emplace_back("cleanup", "pending");
      (void)audit_action(services, context, actor_of(principal), name, seal_target(before.code),
                         "ok", std::move(details));
    }
    return after.error();
  }
  details.emplace_back("status", std::string(seals::to_string(after->status)));
  if (before.certificate) {
    details.emplace_back("previous_certificate_serial", before.certificate->serial_hex);
  }
  if (after->certificate) {
    details.emplace_back("certificate_serial", after->certificate->serial_hex);
  }
  if (auto s = audit_action(services, context, actor_of(principal), name, seal_target(after->code),
                            "ok", std::move(details));
      !s) {
    return make_error("audit_unavailable", "the seal changed but its audit record failed");
  }
  auto body = seal_json(services, *after);
  if (!body) {
    return body.error();
  }
  return json_ok(status::ok, *body);
}

Result<Response> execute(Services& services, const Request& request,
                         const RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  std::string id(context.param("id"));
  if (!authz::is(*principal, authz::Role::operator_)) {
    return refuse(services, context, *principal, "seal.execute", application_target(id),
                  "the operator role");
  }
  auto body = parse_object(request.body(), {"version", "comment", "key_algorithm"});
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
  auto algorithm = key_algorithm(*body);
  if (!algorithm) {
    return algorithm.error();
  }
  auto application = load_application(services, id);
  if (!application) {
    return application.error();
  }
  auto action = seals::parse_lifecycle_action(workflow::to_string(application->kind));
  if (!action) {
    return make_error("application_not_executable",
                      "application " + id + " is a " +
                          std::string(workflow::to_string(application->kind)) +
                          " application; new seals are made with /make");
  }
  auto before = services.seals.get(application->form.seal_code);
  if (!before) {
    return before.error();
  }
  auto after = services.lifecycle.carry_out(id, *version, principal->user_id, comment->value_or(""),
                                            *algorithm);
  return answer(services, context, *principal, *action, *before, after,
                {{"path", "application"}, {"application", id}});
}

Result<Response> act_directly(Services& services, const Request& request,
                              const RequestContext& context, seals::LifecycleAction action) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  std::string code(context.param("code"));
  std::string name = "seal." + std::string(seals::to_string(action));
  if (!authz::is(*principal, authz::Role::system_admin)) {
    return refuse(services, context, *principal, name, seal_target(code),
                  "the system admin role (others file an application)");
  }
  auto body = parse_object(request.body(), {"version", "reason", "key_algorithm"});
  if (!body) {
    return body.error();
  }
  auto version = required_version(*body);
  if (!version) {
    return version.error();
  }
  auto reason = required_string(*body, "reason", 1024);
  if (!reason) {
    return reason.error();
  }
  auto algorithm = key_algorithm(*body);
  if (!algorithm) {
    return algorithm.error();
  }
  if (*algorithm && action != seals::LifecycleAction::reissue) {
    return make_error("field_invalid", "key_algorithm applies to reissue only");
  }
  auto before = services.seals.get(code);
  if (!before) {
    return before.error();
  }
  seals::LifecycleRequest change;
  change.action = action;
  change.expected_version = *version;
  change.actor_id = principal->user_id;
  change.reason = *reason;
  change.algorithm = *algorithm;
  auto after = services.lifecycle.apply(code, change);
  return answer(services, context, *principal, action, *before, after,
                {{"path", "direct"}, {"reason", *reason}});
}

}  // namespace

void add_seal_lifecycle_routes(server::Router& router, Services& services) {
  router.add_async(verb::post, "/api/v1/applications/{id}/execute", "seal_execute",
                   offload(services, execute));
  for (auto [path, name, action] :
       {std::tuple{"/api/v1/seals/{code}/report-loss", "seal_report_loss",
                   seals::LifecycleAction::report_loss},
        std::tuple{"/api/v1/seals/{code}/restore", "seal_restore", seals::LifecycleAction::restore},
        std::tuple{"/api/v1/seals/{code}/reissue", "seal_reissue", seals::LifecycleAction::reissue},
        std::tuple{"/api/v1/seals/{code}/revoke", "seal_revoke", seals::LifecycleAction::revoke}}) {
    router.add_async(
        verb::post, path, name,
        offload(services, [&services, action = action](const Request& r, const RequestContext& c) {
          return act_directly(services, r, c, action);
        }));
  }
}

}  // namespace seald::api
