#pragma once

// One HTTP/1.1 connection: reads requests, hands each to its route's handler,
// writes the responses back in order.
//
// The session is a template over its stream type and written against the
// AsyncStream concept plus beast::get_lowest_layer() for the socket, so TLS
// plugs in without rework: the TLS listener will wrap the accepted socket in
// an asio::ssl::stream<tcp::socket>, and start_tls_session() will run
// async_handshake under the header timeout before the first read, put the
// verified client certificate into RequestContext, and use async_shutdown
// where the plain session shuts down its send side. Everything between (the
// read loop, timeouts, pipelining, routing) is shared.

#include <cstddef>

#include <boost/asio/ip/tcp.hpp>

#include "config/config.h"

namespace seald::server {

class ConnectionSet;
class RouteStatsTable;
class Router;
struct HttpStats;

// What every session of one server shares; owned by the server, which
// outlives its sessions.
struct SessionShared {
  const ServerConfig& config;
  const Router& router;
  HttpStats& stats;
  RouteStatsTable& route_stats;
  ConnectionSet& connections;
};

// Pipelined requests read ahead of their responses, per connection. Reading
// pauses at this depth, so one client cannot queue unbounded work.
inline constexpr std::size_t kMaxQueuedResponses = 16;

// Starts serving a freshly accepted socket; the socket's executor must be
// the connection's own strand.
void start_session(boost::asio::ip::tcp::socket socket, SessionShared& shared);

}  // namespace seald::server
