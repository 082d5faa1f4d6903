#include "api/handler_kit.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include <boost/asio/post.hpp>

#include "api/error_status.h"
#include "api/request_parts.h"
#include "server/json_response.h"

namespace seald::api {

server::AsyncHandler offload(Services& services, Body body) {
  return [&services, body = std::move(body)](const server::Request& request,
                                             const server::RequestContext& context,
                                             server::Responder respond) {
    // The request and context stay valid while a copy of the Responder lives.
    boost::asio::post(services.workers, [&request, &context, respond, &body] {
      auto result = body(request, context);
      respond(result ? std::move(*result) : error_response(result.error()));
    });
  };
}

server::AsyncHandler offload(Services& services, ServiceHandler handler) {
  return offload(services, [&services, handler](const server::Request& request,
                                                const server::RequestContext& context) {
    return handler(services, request, context);
  });
}

Result<authz::Principal> authenticate(Services& services, const server::Request& request) {
  auto token = bearer_token(request);
  if (!token) {
    return make_error("unauthenticated",
                      "this endpoint needs 'Authorization: Bearer <session token>'");
  }
  return services.authenticator.principal_for(*token);
}

Error forbidden(std::string what_is_needed) {
  return make_error("forbidden", "this needs " + what_is_needed);
}

std::string actor_of(const authz::Principal& principal) {
  return "user:" + principal.user_id;
}

Status audit_action(Services& services, const server::RequestContext& context, std::string actor,
                    std::string action, std::string target, std::string result,
                    std::vector<std::pair<std::string, std::string>> details) {
  audit::Record record;
  record.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  record.actor = std::move(actor);
  record.action = std::move(action);
  record.target = std::move(target);
  record.result = std::move(result);
  record.request_id = context.request_id;
  record.client = context.remote.address().to_string();
  record.details = std::move(details);
  auto status = services.audit.append(record);
  if (!status) {
    spdlog::error("audit append failed for {} on {}: {}", record.action, record.target,
                  status.error().message);
  }
  return status;
}

server::Response json_ok(server::http::status status, const boost::json::value& body) {
  return server::json_response(status, body);
}

}  // namespace seald::api
