#pragma once

// Accepts TCP connections and starts a session on each, on its own strand.
//
// This is where TLS will branch: with a TLS context configured, on_accept
// wraps the socket in an asio::ssl::stream and starts a TLS session instead
// (see session.h); the accept loop, backoff and shutdown stay as they are.

#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "core/error.h"
#include "server/session.h"

namespace seald::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, SessionShared& shared);

  // Binds and listens; the error names the address and the reason
  // ("Address already in use").
  Status open(const boost::asio::ip::tcp::endpoint& endpoint);
  void start();
  // Stops accepting; new connections are refused. Safe from any thread.
  void close();

  const boost::asio::ip::tcp::endpoint& local_endpoint() const { return local_; }

 private:
  void accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  SessionShared& shared_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::ip::tcp::endpoint local_;
  bool closed_ = false;
};

// "127.0.0.1:8080", "[::1]:8080".
std::string to_string(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace seald::server
