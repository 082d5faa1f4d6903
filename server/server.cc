#include "server/server.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>

#include <spdlog/spdlog.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "server/connection_set.h"
#include "server/http_stats.h"
#include "server/listen_address.h"
#include "server/listener.h"
#include "server/session.h"

namespace seald::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

constexpr unsigned kMaxIoThreads = 256;
constexpr std::chrono::milliseconds kShutdownPoll{10};

Status validate(const ServerConfig& config) {
  auto invalid = [](std::string message) {
    return make_error("config_invalid", "server." + std::move(message));
  };
  if (config.io_threads > kMaxIoThreads) {
    return invalid("io_threads must be at most " + std::to_string(kMaxIoThreads));
  }
  if (config.body_limit == 0) {
    return invalid("body_limit must be positive");
  }
  if (config.header_limit < 1024 || config.header_limit > 1024 * 1024) {
    return invalid("header_limit must be between 1024 and 1048576 bytes");
  }
  if (config.header_timeout_ms == 0 || config.read_timeout_ms == 0 || config.idle_timeout_ms == 0) {
    return invalid("header, read and idle timeouts must be positive");
  }
  return {};
}

unsigned thread_count(unsigned configured) {
  if (configured != 0) {
    return configured;
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

class Server::Impl {
 public:
  Impl(const ServerConfig& config, ListenAddress address, Router router,
       metrics::Registry& registry)
      : config_(config),
        address_(std::move(address)),
        router_(std::move(router)),
        stats_(registry),
        route_stats_(stats_, router_),
        shared_{config_, router_, stats_, route_stats_, connections_},
        threads_count_(thread_count(config.io_threads)),
        ioc_(static_cast<int>(threads_count_)),
        control_(asio::make_strand(ioc_)),
        shutdown_timer_(control_) {}

  ~Impl() {
    stop();
    // A handler may still hold a Responder (a job finishing late), which
    // keeps its session alive; sessions must end before the io_context does.
    // Run their last handlers here until they are gone.
    auto warn_at = Clock::now() + std::chrono::seconds(5);
    while (connections_.size() > 0) {
      ioc_.restart();
      ioc_.poll();
      if (connections_.size() == 0) {
        break;
      }
      if (Clock::now() >= warn_at) {
        spdlog::warn("http: waiting for {} handlers to answer before the server can go",
                     connections_.size());
        warn_at += std::chrono::seconds(5);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  Status start() {
    if (started_) {
      return make_error("server_started", "the server was already started");
    }
    auto endpoints = resolve();
    if (!endpoints) {
      return endpoints.error();
    }
    Status opened = make_error("listen_failed", "no address for " + address_.host);
    for (const tcp::endpoint& endpoint : *endpoints) {
      listener_ = std::make_shared<Listener>(ioc_, shared_);
      opened = listener_->open(endpoint);
      if (opened) {
        break;
      }
    }
    if (!opened) {
      listener_.reset();
      return opened;
    }
    started_ = true;
    listener_->start();
    work_.emplace(ioc_.get_executor());
    threads_.reserve(threads_count_);
    for (unsigned i = 0; i < threads_count_; ++i) {
      threads_.emplace_back([this] { run_io(); });
    }
    spdlog::info("http: listening on {} with {} I/O threads", to_string(endpoint()),
                 threads_count_);
    return {};
  }

  tcp::endpoint endpoint() const {
    return listener_ ? listener_->local_endpoint() : tcp::endpoint{};
  }

  void request_stop() {
    if (!started_ || stop_requested_.exchange(true)) {
      return;
    }
    asio::post(control_, [this] { begin_shutdown(); });
  }

  void wait() {
    if (ioc_.get_executor().running_in_this_thread()) {
      spdlog::error("http: Server::wait() called from an I/O thread; not waiting for itself");
      return;
    }
    std::lock_guard lock(wait_mutex_);
    for (auto& thread : threads_) {
      if (thread.joinable()) {
        thread.join();
      }
    }
  }

  void stop() {
    request_stop();
    wait();
  }

  void run_until_signal() {
    if (!started_) {
      spdlog::error("http: run_until_signal() before a successful start()");
      return;
    }
    // Installed here, on the caller's thread, so a signal that arrives from
    // now on is caught even before the wait below is queued.
    auto signals = std::make_shared<asio::signal_set>(control_, SIGINT, SIGTERM);
    asio::post(control_, [this, signals] {
      if (shutdown_finished_) {
        return;
      }
      signals_ = signals;
      signals_->async_wait([this](error_code ec, int signal) {
        if (!ec) {
          spdlog::info("http: received signal {}, shutting down", signal);
          request_stop();
        }
      });
    });
    wait();
    signals.reset();
  }

 private:
  Result<std::vector<tcp::endpoint>> resolve() {
    error_code ec;
    auto literal = asio::ip::make_address(address_.host, ec);
    if (!ec) {
      return std::vector<tcp::endpoint>{{literal, address_.port}};
    }
    tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(address_.host, std::to_string(address_.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec) {
      return make_error("listen_failed", "cannot resolve '" + address_.host + "': " + ec.message());
    }
    std::vector<tcp::endpoint> endpoints;
    for (const auto& entry : results) {
      endpoints.push_back(entry.endpoint());
    }
    return endpoints;
  }

  void run_io() {
    while (true) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception& e) {
        // Handlers are wrapped; this is a bug elsewhere. Keep serving.
        spdlog::error("http: an I/O thread caught an exception: {}", e.what());
      }
    }
  }

  // ---- on control_ -------------------------------------------------------

  void begin_shutdown() {
    listener_->close();
    const auto connections = connections_.snapshot();
    spdlog::info("http: shutting down; {} connections open, grace {}ms", connections.size(),
                 config_.shutdown_grace_ms);
    for (const auto& connection : connections) {
      connection->drain();
    }
    shutdown_deadline_ = Clock::now() + std::chrono::milliseconds(config_.shutdown_grace_ms);
    poll_shutdown();
  }

  void poll_shutdown() {
    if (connections_.size() == 0) {
      finish_shutdown();
      return;
    }
    if (Clock::now() >= shutdown_deadline_) {
      const auto left = connections_.snapshot();
      spdlog::warn("http: grace period over; closing {} connections", left.size());
      for (const auto& connection : left) {
        connection->force_close();
      }
      finish_shutdown();
      return;
    }
    shutdown_timer_.expires_after(kShutdownPoll);
    shutdown_timer_.async_wait([this](error_code ec) {
      if (!ec) {
        poll_shutdown();
      }
    });
  }

  // Releases what keeps the I/O threads running; they exit once the last
  // connection has unwound.
  void finish_shutdown() {
    shutdown_finished_ = true;
    if (signals_) {
      error_code ignored;
      signals_->cancel(ignored);
      signals_->clear(ignored);
      signals_.reset();
    }
    work_.reset();
    spdlog::info("http: stopped");
  }

  ServerConfig config_;
  ListenAddress address_;
  Router router_;
  HttpStats stats_;
  RouteStatsTable route_stats_;
  ConnectionSet connections_;
  SessionShared shared_;
  unsigned threads_count_;

  // I/O objects below the io_context, so they are destroyed before it.
  asio::io_context ioc_;
  asio::strand<asio::io_context::executor_type> control_;
  std::shared_ptr<Listener> listener_;
  asio::steady_timer shutdown_timer_;
  std::shared_ptr<asio::signal_set> signals_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;

  std::vector<std::thread> threads_;
  std::mutex wait_mutex_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stop_requested_{false};
  bool shutdown_finished_ = false;  // on control_
  Clock::time_point shutdown_deadline_;
};

Result<std::unique_ptr<Server>> Server::create(const ServerConfig& config, Router router,
                                               metrics::Registry& registry,
                                               std::vector<ReadinessCheck> readiness) {
  if (auto valid = validate(config); !valid) {
    return valid.error();
  }
  auto address = parse_listen_address(config.listen);
  if (!address) {
    return address.error();
  }
  for (std::size_t i = 0; i < readiness.size(); ++i) {
    if (readiness[i].name.empty() || !readiness[i].check) {
      return make_error("config_invalid", "a readiness check needs a name and a function");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (readiness[j].name == readiness[i].name) {
        return make_error("config_invalid", "two readiness checks named " + readiness[i].name);
      }
    }
  }
  add_ops_routes(router, registry, std::move(readiness));
  if (!router.status()) {
    return router.status().error();
  }
  auto impl = std::make_unique<Impl>(config, std::move(*address), std::move(router), registry);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Status Server::start() {
  return impl_->start();
}
tcp::endpoint Server::endpoint() const {
  return impl_->endpoint();
}
void Server::run_until_signal() {
  impl_->run_until_signal();
}
void Server::request_stop() {
  impl_->request_stop();
}
void Server::wait() {
  impl_->wait();
}

}  // namespace seald::server
