// What operators and clients see from the endpoints every server has, and
// from the error paths every route shares.

#include <atomic>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "tests/server/server_fixture.h"

namespace seald::server::testing {
namespace {

using OpsEndpoints = ServerTest;

bool contains(const std::string& text, const std::string& piece) {
  return text.find(piece) != std::string::npos;
}

TEST_F(OpsEndpoints, HealthzSaysOk) {
  start_server();
  HttpClient client(port());
  auto response = client.get("/healthz");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200u);
  EXPECT_EQ(response->header("Content-Type"), "application/json");
  EXPECT_EQ(json_field(*response, "status"), "ok");
}

TEST_F(OpsEndpoints, ReadyzWhenEveryCheckPasses) {
  start_server({}, {{"hsm", [] { return Status{}; }}, {"redis", [] { return Status{}; }}});
  HttpClient client(port());
  auto response = client.get("/readyz");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200u);
  auto body = parse_json(response->body);
  EXPECT_EQ(body.at("status").as_string(), "ready");
  EXPECT_EQ(body.at("checks").at("hsm").as_string(), "ok");
  EXPECT_EQ(body.at("checks").at("redis").as_string(), "ok");
}

TEST_F(OpsEndpoints, ReadyzNamesTheFailedCheck) {
  std::atomic<bool> redis_up{true};
  start_server({}, {{"hsm", [] { return Status{}; }}, {"redis", [&]() -> Status {
                                                         if (redis_up) {
                                                           return {};
                                                         }
                                                         return make_error("redis_unavailable",
                                                                           "connection refused");
                                                       }}});
  HttpClient client(port());
  ASSERT_EQ(client.get("/readyz")->status, 200u);

  redis_up = false;
  auto response = client.get("/readyz");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503u);
  EXPECT_EQ(response->header("Content-Type"), "application/json");
  auto body = parse_json(response->body);
  EXPECT_EQ(body.at("error").as_string(), "not_ready");
  EXPECT_EQ(body.at("message").as_string(), "redis: connection refused");
  EXPECT_EQ(body.at("checks").at("hsm").as_string(), "ok");
  EXPECT_EQ(body.at("checks").at("redis").as_string(), "redis_unavailable");

  redis_up = true;  // and it recovers by itself
  EXPECT_EQ(client.get("/readyz")->status, 200u);
}

TEST_F(OpsEndpoints, MetricsCountTheRequestsJustMade) {
  metrics::Counter& other = registry.counter("seald_other_component_total", "Someone else's.");
  other.inc(7);
  Router router;
  router.add(http::verb::get, "/api/v1/things/{id}", "thing_get",
             [](const Request&, const RequestContext&) {
               return json_response(http::status::ok, {{"ok", true}});
             });
  start_server(std::move(router));
  HttpClient client(port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(client.get("/healthz")->status, 200u);
  }
  ASSERT_EQ(client.get("/api/v1/things/42")->status, 200u);
  ASSERT_EQ(client.get("/api/v1/things/43")->status, 200u);
  ASSERT_EQ(client.get("/nope")->status, 404u);

  auto response = client.get("/metrics");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200u);
  EXPECT_TRUE(contains(response->header("Content-Type"), "text/plain; version=0.0.4"));
  const std::string& text = response->body;
  EXPECT_TRUE(contains(text, "# TYPE seald_http_requests_total counter\n"));
  EXPECT_TRUE(contains(text, "seald_http_requests_total{route=\"healthz\",status=\"200\"} 3\n"));
  EXPECT_TRUE(contains(text, "seald_http_requests_total{route=\"thing_get\",status=\"200\"} 2\n"));
  EXPECT_TRUE(contains(text, "seald_http_requests_total{route=\"unrouted\",status=\"404\"} 1\n"));
  EXPECT_TRUE(contains(text, "# TYPE seald_http_request_duration_seconds histogram\n"));
  EXPECT_TRUE(contains(
      text, "seald_http_request_duration_seconds_bucket{route=\"healthz\",le=\"+Inf\"} 3\n"));
  EXPECT_TRUE(contains(text, "seald_http_request_duration_seconds_count{route=\"thing_get\"} 2\n"));
  EXPECT_TRUE(contains(text, "seald_http_request_duration_seconds_sum{route=\"healthz\"} "));
  // This very request is still being answered.
  EXPECT_TRUE(contains(text, "seald_http_requests_in_flight 1\n"));
  EXPECT_TRUE(contains(text, "seald_other_component_total 7\n"));
}

TEST_F(OpsEndpoints, UnknownPathIs404Json) {
  start_server();
  HttpClient client(port());
  auto response = client.get("/api/v1/nothing?x=1");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404u);
  EXPECT_EQ(response->header("Content-Type"), "application/json");
  EXPECT_EQ(json_field(*response, "error"), "not_found");
  EXPECT_FALSE(json_field(*response, "message").empty());
  EXPECT_TRUE(response->keep_alive);
  EXPECT_EQ(client.get("/healthz")->status, 200u);  // same connection still serves
}

TEST_F(OpsEndpoints, WrongMethodIs405JsonWithAllow) {
  Router router;
  router.add(http::verb::post, "/api/v1/sign", "sign", [](const Request&, const RequestContext&) {
    return json_response(http::status::ok, {});
  });
  router.add(
      http::verb::put, "/api/v1/sign", "sign_put",
      [](const Request&, const RequestContext&) { return json_response(http::status::ok, {}); });
  start_server(std::move(router));
  HttpClient client(port());
  auto response = client.get("/api/v1/sign");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 405u);
  EXPECT_EQ(response->header("Allow"), "POST, PUT");
  EXPECT_EQ(json_field(*response, "error"), "method_not_allowed");
  auto healthz_post = client.request("POST", "/healthz");
  ASSERT_TRUE(healthz_post);
  EXPECT_EQ(healthz_post->status, 405u);
  EXPECT_EQ(healthz_post->header("Allow"), "GET");
}

TEST_F(OpsEndpoints, EveryResponseCarriesAFreshRequestId) {
  start_server();
  HttpClient client(port());
  std::set<std::string> ids;
  for (const char* target : {"/healthz", "/healthz", "/missing", "/readyz"}) {
    auto response = client.get(target);
    ASSERT_TRUE(response);
    std::string id = response->header("X-Request-Id");
    EXPECT_EQ(id.size(), 32u) << target;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 4u);
}

TEST_F(OpsEndpoints, AWellFormedClientRequestIdIsEchoed) {
  std::string seen_by_handler;
  Router router;
  router.add(
      http::verb::get, "/whoami", "whoami", [&](const Request&, const RequestContext& context) {
        seen_by_handler = context.request_id;
        return json_response(http::status::ok, {{"remote", context.remote.address().to_string()}});
      });
  start_server(std::move(router));
  HttpClient client(port());
  auto response = client.get("/whoami", {{"X-Request-Id", "trace-42.abc_DEF"}});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("X-Request-Id"), "trace-42.abc_DEF");
  EXPECT_EQ(seen_by_handler, "trace-42.abc_DEF");
  EXPECT_EQ(json_field(*response, "remote"), "127.0.0.1");

  auto not_found = client.get("/missing", {{"X-Request-Id", "mine-1"}});
  EXPECT_EQ(not_found->header("X-Request-Id"), "mine-1");
}

TEST_F(OpsEndpoints, AMalformedClientRequestIdIsReplaced) {
  start_server();
  HttpClient client(port());
  for (const std::string& bad : {std::string("has space"), std::string(65, 'a'),
                                 std::string("semi;colon"), std::string("{json}")}) {
    auto response = client.get("/healthz", {{"X-Request-Id", bad}});
    ASSERT_TRUE(response) << bad;
    std::string id = response->header("X-Request-Id");
    EXPECT_NE(id, bad);
    EXPECT_EQ(id.size(), 32u);
  }
}

TEST_F(OpsEndpoints, PathParametersReachTheHandler) {
  Router router;
  router.add(http::verb::get, "/api/v1/seals/{code}", "seal_get",
             [](const Request&, const RequestContext& context) {
               return json_response(http::status::ok,
                                    {{"code", context.param("code")}, {"route", context.route}});
             });
  start_server(std::move(router));
  HttpClient client(port());
  auto response = client.get("/api/v1/seals/GS%2D001");
  ASSERT_TRUE(response);
  EXPECT_EQ(json_field(*response, "code"), "GS-001");
  EXPECT_EQ(json_field(*response, "route"), "seal_get");
}

TEST_F(OpsEndpoints, AccessLogLineHasThePathButNoHeadersOrQuery) {
  std::ostringstream captured;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
  logger->set_level(spdlog::level::debug);
  spdlog::set_default_logger(logger);
  start_server();
  {
    HttpClient client(port());
    auto response =
        client.get("/healthz?token=query-secret",
                   {{"Authorization", "Bearer header-secret"}, {"X-Request-Id", "log-1"}});
    ASSERT_TRUE(response);
  }
  server.reset();
  spdlog::set_default_logger(previous);

  const std::string log = captured.str();
  EXPECT_TRUE(contains(log, "GET /healthz 200")) << log;
  EXPECT_TRUE(contains(log, "route=healthz id=log-1")) << log;
  EXPECT_FALSE(contains(log, "secret")) << log;
}

}  // namespace
}  // namespace seald::server::testing
