#pragma once

// The plumbing every /api/v1 handler shares: run blocking work off the I/O
// threads, authenticate the caller, audit what it did, answer in JSON.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "api/services.h"
#include "authz/principal.h"
#include "core/error.h"
#include "server/handler.h"
#include "server/http.h"

namespace seald::api {

// A handler body: returns the response, or an Error that error_response()
// turns into the one JSON error shape.
using Body =
    std::function<Result<server::Response>(const server::Request&, const server::RequestContext&)>;

// Runs body on services.workers and answers through the Responder.
server::AsyncHandler offload(Services& services, Body body);

// The same for a handler written as a free function of the services.
using ServiceHandler = Result<server::Response> (*)(Services&, const server::Request&,
                                                    const server::RequestContext&);
server::AsyncHandler offload(Services& services, ServiceHandler handler);

// The caller's principal from "Authorization: Bearer <session token>".
// Errors: unauthenticated (no bearer token), session_invalid.
Result<authz::Principal> authenticate(Services& services, const server::Request& request);

// error "forbidden" with a message that names what was needed.
Error forbidden(std::string what_is_needed);

// Appends one management event to the audit log. actor is the principal's
// "user:<id>" (or "anonymous"); details are short before/after summaries.
// A failure to audit is logged and counted, and returned so a caller can
// decide; the handlers here report it as 503 audit_unavailable.
Status audit_action(Services& services, const server::RequestContext& context, std::string actor,
                    std::string action, std::string target, std::string result,
                    std::vector<std::pair<std::string, std::string>> details = {});

std::string actor_of(const authz::Principal& principal);

server::Response json_ok(server::http::status status, const boost::json::value& body);

}  // namespace seald::api
