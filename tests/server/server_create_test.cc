// Creating and starting a server: clear errors for bad settings and busy
// ports, and the address forms server.listen accepts.

#include <gtest/gtest.h>

#include "tests/server/server_fixture.h"

namespace seald::server::testing {
namespace {

Result<std::unique_ptr<Server>> create_with(const ServerConfig& config, metrics::Registry& r,
                                            Router router = {}) {
  return Server::create(config, std::move(router), r);
}

TEST(ServerCreate, RejectsBadSettings) {
  metrics::Registry registry;
  auto bad = [&](auto change) {
    ServerConfig config = test_config();
    change(config);
    auto created = create_with(config, registry);
    return created ? std::string() : created.error().code + ": " + created.error().message;
  };
  EXPECT_EQ(bad([](ServerConfig& c) { c.listen = "nonsense"; }).rfind("config_invalid", 0), 0u);
  EXPECT_NE(bad([](ServerConfig& c) { c.body_limit = 0; }).find("body_limit"), std::string::npos);
  EXPECT_NE(bad([](ServerConfig& c) { c.header_limit = 10; }).find("header_limit"),
            std::string::npos);
  EXPECT_NE(bad([](ServerConfig& c) { c.idle_timeout_ms = 0; }).find("timeouts"),
            std::string::npos);
  EXPECT_NE(bad([](ServerConfig& c) { c.io_threads = 100000; }).find("io_threads"),
            std::string::npos);
}

TEST(ServerCreate, RejectsAnInvalidRouterOrAClashWithBuiltInRoutes) {
  metrics::Registry registry;
  Router bad;
  bad.add(http::verb::get, "no-slash", "x",
          [](const Request&, const RequestContext&) { return Response{}; });
  auto created = create_with(test_config(), registry, std::move(bad));
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, "route_invalid");

  Router clash;
  clash.add(http::verb::get, "/healthz", "mine",
            [](const Request&, const RequestContext&) { return Response{}; });
  auto clashed = create_with(test_config(), registry, std::move(clash));
  ASSERT_FALSE(clashed);
  EXPECT_EQ(clashed.error().code, "route_invalid");
}

TEST(ServerCreate, RejectsUnnamedOrDuplicateReadinessChecks) {
  metrics::Registry registry;
  auto ok = [] { return Status{}; };
  EXPECT_FALSE(Server::create(test_config(), {}, registry, {{"", ok}}));
  EXPECT_FALSE(Server::create(test_config(), {}, registry, {{"hsm", nullptr}}));
  EXPECT_FALSE(Server::create(test_config(), {}, registry, {{"hsm", ok}, {"hsm", ok}}));
}

TEST(ServerStart, ABusyPortIsAClearError) {
  metrics::Registry registry;
  auto first = create_with(test_config(), registry);
  ASSERT_TRUE(first);
  ASSERT_TRUE((*first)->start());

  ServerConfig config = test_config();
  config.listen = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = create_with(config, registry);
  ASSERT_TRUE(second);
  auto started = (*second)->start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, "listen_failed");
  EXPECT_NE(started.error().message.find(config.listen), std::string::npos);
  EXPECT_NE(started.error().message.find("in use"), std::string::npos);
}

TEST(ServerStart, StartingTwiceIsAnError) {
  metrics::Registry registry;
  auto server = create_with(test_config(), registry);
  ASSERT_TRUE(server);
  ASSERT_TRUE((*server)->start());
  auto again = (*server)->start();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "server_started");
}

TEST(ServerStart, LocalhostIsResolved) {
  metrics::Registry registry;
  ServerConfig config = test_config();
  config.listen = "localhost:0";
  auto server = create_with(config, registry);
  ASSERT_TRUE(server);
  ASSERT_TRUE((*server)->start());
  EXPECT_TRUE((*server)->endpoint().address().is_loopback());
  EXPECT_NE((*server)->port(), 0);
}

TEST(ServerStart, AnUnresolvableHostIsAClearError) {
  metrics::Registry registry;
  ServerConfig config = test_config();
  config.listen = "no-such-host.invalid:0";
  auto server = create_with(config, registry);
  ASSERT_TRUE(server);
  auto started = (*server)->start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, "listen_failed");
  EXPECT_NE(started.error().message.find("no-such-host.invalid"), std::string::npos);
}

TEST(ServerStart, StopWithoutStartAndDestroyAreSafe) {
  metrics::Registry registry;
  auto server = create_with(test_config(), registry);
  ASSERT_TRUE(server);
  (*server)->stop();
  (*server)->stop();
}

TEST(ServerStart, StopIsIdempotentAndTheServerCanBeDestroyedAfter) {
  metrics::Registry registry;
  auto server = create_with(test_config(), registry);
  ASSERT_TRUE(server);
  ASSERT_TRUE((*server)->start());
  const auto port = (*server)->port();
  EXPECT_TRUE(can_connect(port));
  (*server)->stop();
  (*server)->stop();
  EXPECT_FALSE(can_connect(port));
}

}  // namespace
}  // namespace seald::server::testing
