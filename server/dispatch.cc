#include "server/dispatch.h"

#include <spdlog/spdlog.h>

#include "server/http_stats.h"
#include "server/json_response.h"
#include "server/router.h"

namespace seald::server {

namespace {

void invoke(const Route& route, const std::shared_ptr<Exchange>& exchange, SessionShared& shared,
            std::shared_ptr<ResponseSink> sink) {
  // Kept until the handler returns, so a throwing handler can still be
  // answered (answering twice is harmless: the first answer wins).
  Responder respond(std::move(sink), exchange);
  const std::string_view id = exchange->context.request_id;
  try {
    route.handler(exchange->request, exchange->context, respond);
    return;
  } catch (const std::exception& e) {
    spdlog::error("http: handler {} threw: {} (request {})", route.name, e.what(), id);
  } catch (...) {
    spdlog::error("http: handler {} threw (request {})", route.name, id);
  }
  shared.stats.handler_failures.inc();
  respond(json_error(http::status::internal_server_error, "internal", "internal error"));
}

}  // namespace

void dispatch(const std::shared_ptr<Exchange>& exchange, SessionShared& shared,
              std::shared_ptr<ResponseSink> sink) {
  const Request& request = exchange->request;
  // Fields that must come once: with two, a proxy and seald could each act
  // on a different one (whose credentials, which host, which body type).
  for (auto field : {http::field::authorization, http::field::host, http::field::content_type}) {
    if (request.count(field) > 1) {
      exchange->response =
          json_error(http::status::bad_request, "duplicate_header",
                     "the " + std::string(to_string(field)) + " header appears more than once");
      return;
    }
  }
  RouteMatch match = shared.router.match(request.method(), request.target());
  switch (match.outcome) {
    case RouteMatch::Outcome::kFound:
      exchange->context.route = match.route->name;
      exchange->context.params = std::move(match.params);
      exchange->route_stats = &shared.route_stats.for_route(match.route->id);
      invoke(*match.route, exchange, shared, std::move(sink));
      return;
    case RouteMatch::Outcome::kMethodNotAllowed: {
      Response response = json_error(http::status::method_not_allowed, "method_not_allowed",
                                     "this path accepts " + match.allow);
      response.set(http::field::allow, match.allow);
      exchange->response = std::move(response);
      return;
    }
    case RouteMatch::Outcome::kNotFound:
      exchange->response =
          json_error(http::status::not_found, "not_found", "there is nothing at this path");
      return;
    case RouteMatch::Outcome::kBadTarget:
      exchange->response = json_error(http::status::bad_request, "bad_request",
                                      "the request target is not a valid path");
      return;
  }
}

void label_route(Exchange& exchange, SessionShared& shared) {
  auto match = shared.router.match(exchange.request.method(), exchange.request.target());
  if (match.route != nullptr) {
    exchange.context.route = match.route->name;
    exchange.route_stats = &shared.route_stats.for_route(match.route->id);
  }
}

}  // namespace seald::server
