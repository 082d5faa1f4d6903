#include "server/listener.h"

#include <chrono>

#include <spdlog/spdlog.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/v6_only.hpp>

#include "server/http_stats.h"

namespace seald::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

std::string to_string(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  std::string host = address.to_string();
  if (address.is_v6()) {
    host = "[" + host + "]";
  }
  return host + ":" + std::to_string(endpoint.port());
}

Listener::Listener(asio::io_context& ioc, SessionShared& shared)
    : ioc_(ioc),
      shared_(shared),
      strand_(asio::make_strand(ioc)),
      acceptor_(strand_),
      retry_timer_(strand_) {}

Status Listener::open(const tcp::endpoint& endpoint) {
  error_code ec;
  auto failed = [&](std::string_view step) -> Status {
    error_code ignored;
    acceptor_.close(ignored);
    return make_error("listen_failed", "cannot listen on " + to_string(endpoint) + ": " +
                                           std::string(step) + ": " + ec.message());
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) {
    return failed("open");
  }
  // Lets a restarted server bind while old connections sit in TIME_WAIT; on
  // Linux it does not let two listeners share the port.
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec && endpoint.address().is_v6()) {
    acceptor_.set_option(asio::ip::v6_only(true), ec);
  }
  if (ec) {
    return failed("setsockopt");
  }
  acceptor_.bind(endpoint, ec);
  if (ec) {
    return failed("bind");
  }
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return failed("listen");
  }
  local_ = acceptor_.local_endpoint(ec);
  if (ec) {
    return failed("local address");
  }
  return {};
}

void Listener::start() {
  asio::dispatch(strand_, [self = shared_from_this()] { self->accept(); });
}

void Listener::close() {
  asio::dispatch(strand_, [self = shared_from_this()] {
    self->closed_ = true;
    error_code ignored;
    self->retry_timer_.cancel();
    self->acceptor_.close(ignored);
  });
}

void Listener::accept() {
  if (closed_) {
    return;
  }
  // Each connection gets its own strand: its handlers never run
  // concurrently, whichever I/O thread picks them up.
  acceptor_.async_accept(
      asio::make_strand(ioc_),
      asio::bind_executor(strand_, [self = shared_from_this()](error_code ec, tcp::socket s) {
        self->on_accept(ec, std::move(s));
      }));
}

void Listener::on_accept(error_code ec, tcp::socket socket) {
  if (closed_ || ec == asio::error::operation_aborted) {
    return;
  }
  if (ec) {
    // Typically out of file descriptors: pause instead of spinning, and let
    // existing connections finish so some are freed.
    shared_.stats.accept_errors.inc();
    spdlog::warn("http: accept failed: {}; retrying in 100ms", ec.message());
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](error_code wait_ec) {
      if (!wait_ec) {
        self->accept();
      }
    });
    return;
  }
  start_session(std::move(socket), shared_);
  accept();
}

}  // namespace seald::server
