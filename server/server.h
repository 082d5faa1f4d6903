#pragma once

// seald's HTTP/1.1 server: a listener, N I/O threads running one io_context,
// a session per connection on its own strand, and the router's handlers.
//
//   auto server = Server::create(config.server, std::move(router), registry,
//                                {{"hsm", hsm_ready}, {"redis", redis_ready}});
//   if (!server) { ... server.error() ... }
//   if (auto started = (*server)->start(); !started) { ... }
//   (*server)->run_until_signal();  // SIGINT/SIGTERM → graceful stop
//
// Shutdown: stop accepting (new connections are refused), let requests
// already read finish and be answered for up to shutdown_grace_ms, close
// idle keep-alive connections at once, then close whatever is left.
//
// Lifetimes: the registry must outlive the server. The destructor stops the
// server and then waits until every Responder handed to a handler has been
// called or destroyed, so a late completion never touches a dead server.

#include <cstdint>
#include <memory>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "config/config.h"
#include "core/error.h"
#include "metrics/registry.h"
#include "server/ops_routes.h"
#include "server/router.h"

namespace seald::server {

class Server {
 public:
  // Validates the configuration and the router, and adds /healthz, /readyz
  // and /metrics to the router. Errors: config_invalid, route_invalid.
  static Result<std::unique_ptr<Server>> create(const ServerConfig& config, Router router,
                                                metrics::Registry& registry,
                                                std::vector<ReadinessCheck> readiness = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds (port 0: any free port), listens and starts the I/O threads.
  // Errors: listen_failed (bad host, port in use), server_started.
  Status start();

  // The bound address; valid after start().
  boost::asio::ip::tcp::endpoint endpoint() const;
  std::uint16_t port() const { return endpoint().port(); }

  // Blocks until SIGINT or SIGTERM (or stop() from elsewhere), then shuts
  // down gracefully and returns.
  void run_until_signal();
  // Begins the graceful shutdown and returns at once. Safe from any thread,
  // handlers and signal-handling threads included.
  void request_stop();
  // Blocks until the shutdown has finished and the I/O threads have exited.
  // Not from an I/O thread (a handler): that would wait for itself.
  void wait();
  void stop() {
    request_stop();
    wait();
  }

 private:
  class Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace seald::server
