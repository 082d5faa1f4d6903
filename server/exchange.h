#pragma once

// One request on its way through the server, and its response slot. The
// session queues exchanges in arrival order and writes their responses in
// that order; a Responder holds one too, so the request a handler was given
// outlives the handler call.

#include <chrono>
#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>

#include "server/http.h"
#include "server/request_context.h"

namespace seald::server {

class RouteStats;
struct HttpStats;

class Exchange {
 public:
  // Resolves the request id (the client's if well-formed, else a fresh one)
  // and counts the request in flight. The route is "unrouted" until set.
  Exchange(Request request, const boost::asio::ip::tcp::endpoint& remote,
           std::chrono::steady_clock::time_point received, RouteStats& unrouted, HttpStats& stats);
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  // Completes the response's framing (version, X-Request-Id, keep-alive,
  // length) and counts the request as answered, with an access-log line.
  // `last`: the connection closes after this response.
  void finish(bool last);
  // The connection closed before the response could be sent.
  void abandon();

  Request request;
  RequestContext context;
  std::optional<Response> response;
  RouteStats* route_stats;
  bool close_after = false;  // the client asked to close, or the request was refused

 private:
  HttpStats& stats_;
  bool in_flight_ = true;
};

}  // namespace seald::server
