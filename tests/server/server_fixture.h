#pragma once

// A server on 127.0.0.1, port 0, per test, with generous timeouts unless a
// test shortens them, plus helpers to read what a client would see.

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "config/config.h"
#include "metrics/registry.h"
#include "server/json_response.h"
#include "server/server.h"
#include "tests/server/http_client.h"

namespace seald::server::testing {

inline ServerConfig test_config() {
  ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.io_threads = 2;
  config.header_timeout_ms = 5'000;
  config.read_timeout_ms = 10'000;
  config.idle_timeout_ms = 10'000;
  config.shutdown_grace_ms = 5'000;
  return config;
}

inline boost::json::value parse_json(const std::string& body) {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  return ec ? boost::json::value() : value;
}

// The string member `key` of a JSON object body, or "" if there is none.
inline std::string json_field(const ClientResponse& response, std::string_view key) {
  auto value = parse_json(response.body);
  if (!value.is_object()) {
    return {};
  }
  const auto* member = value.as_object().if_contains(key);
  return member && member->is_string() ? std::string(member->as_string()) : std::string();
}

// Polls `condition` until it holds or the timeout passes.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

class ServerTest : public ::testing::Test {
 protected:
  void start_server(Router router = {}, std::vector<ReadinessCheck> checks = {}) {
    auto created = Server::create(config, std::move(router), registry, std::move(checks));
    ASSERT_TRUE(created) << created.error().message;
    server = std::move(*created);
    auto started = server->start();
    ASSERT_TRUE(started) << started.error().message;
    ASSERT_NE(server->port(), 0);
  }

  std::uint16_t port() const { return server->port(); }

  void TearDown() override { server.reset(); }

  ServerConfig config = test_config();
  metrics::Registry registry;
  std::unique_ptr<Server> server;
};

}  // namespace seald::server::testing
