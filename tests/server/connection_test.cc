// Connection behaviour a client notices: keep-alive, pipelining, limits and
// the timeouts that stop slow clients from holding the server.

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "tests/server/server_fixture.h"

namespace seald::server::testing {
namespace {

using namespace std::chrono_literals;
using Connections = ServerTest;

Router echo_router() {
  Router router;
  router.add(http::verb::post, "/echo", "echo", [](const Request& request, const RequestContext&) {
    return text_response(http::status::ok, request.body(), "application/octet-stream");
  });
  return router;
}

TEST_F(Connections, KeepAliveServesSeveralRequestsOnOneConnection) {
  start_server(echo_router());
  HttpClient client(port());
  for (int i = 0; i < 5; ++i) {
    auto response = client.request("POST", "/echo", {}, "body " + std::to_string(i));
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->status, 200u);
    EXPECT_EQ(response->body, "body " + std::to_string(i));
    EXPECT_TRUE(response->keep_alive);
  }
  EXPECT_FALSE(client.wait_closed(100ms));
}

TEST_F(Connections, PipelinedRequestsAreAnsweredInOrder) {
  start_server(echo_router());
  HttpClient client(port());
  std::string burst;
  constexpr int kRequests = 40;  // more than the queue cap: reading pauses and resumes
  for (int i = 0; i < kRequests; ++i) {
    burst += make_request("POST", "/echo", {}, std::to_string(i));
  }
  ASSERT_TRUE(client.send(burst));
  for (int i = 0; i < kRequests; ++i) {
    auto response = client.read_response();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body, std::to_string(i));
  }
}

TEST_F(Connections, ConnectionCloseIsHonoured) {
  start_server();
  HttpClient client(port());
  ASSERT_TRUE(client.send(make_request("GET", "/healthz", {{"Connection", "close"}})));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200u);
  EXPECT_FALSE(response->keep_alive);
  EXPECT_TRUE(client.wait_closed(5s));
}

TEST_F(Connections, Http10WithoutKeepAliveIsClosedAfterOneResponse) {
  start_server();
  HttpClient client(port());
  ASSERT_TRUE(client.send("GET /healthz HTTP/1.0\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200u);
  EXPECT_TRUE(client.wait_closed(5s));
}

TEST_F(Connections, BodyOverTheLimitIs413AndTheServerStillServes) {
  ASSERT_EQ(config.body_limit, 1024u * 1024u);  // the default
  start_server(echo_router());
  HttpClient client(port());
  ASSERT_TRUE(client.send(make_request("POST", "/echo", {}, std::string(1024 * 1024 + 1, 'x'))));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413u);
  EXPECT_EQ(response->header("Content-Type"), "application/json");
  EXPECT_EQ(json_field(*response, "error"), "body_too_large");
  EXPECT_EQ(response->header("X-Request-Id").size(), 32u);
  EXPECT_TRUE(client.wait_closed(5s));

  HttpClient next(port());
  auto fine = next.request("POST", "/echo", {}, std::string(1024 * 1024, 'y'));
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200u);
  EXPECT_EQ(fine->body.size(), 1024u * 1024u);
}

TEST_F(Connections, ExpectContinueGetsAnInterimResponseBeforeTheBody) {
  start_server(echo_router());
  HttpClient client(port());
  ASSERT_TRUE(client.send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  auto interim = client.read_response(5s);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100u);
  ASSERT_TRUE(client.send("hello"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200u);
  EXPECT_EQ(response->body, "hello");
}

TEST_F(Connections, ChunkedBodyOverTheLimitIs413) {
  config.body_limit = 1000;
  start_server(echo_router());
  HttpClient client(port());
  std::string chunk(600, 'z');
  std::string request =
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n" + chunk +
      "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n";
  ASSERT_TRUE(client.send(request));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413u);
}

TEST_F(Connections, HeaderOverTheLimitIs431) {
  config.header_limit = 2048;
  start_server();
  HttpClient client(port());
  ASSERT_TRUE(client.send(make_request("GET", "/healthz", {{"X-Big", std::string(4096, 'h')}})));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431u);
  EXPECT_EQ(json_field(*response, "error"), "header_too_large");
  EXPECT_TRUE(client.wait_closed(5s));
  HttpClient next(port());
  EXPECT_EQ(next.get("/healthz")->status, 200u);
}

TEST_F(Connections, MalformedRequestIs400Json) {
  start_server();
  HttpClient client(port());
  ASSERT_TRUE(client.send("GET /healthz HTTP/1.1\r\nBad Header Line\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400u);
  EXPECT_EQ(json_field(*response, "error"), "bad_request");
  EXPECT_TRUE(client.wait_closed(5s));
}

TEST_F(Connections, HalfAHeaderThenSilenceIsCutOffAfterTheHeaderTimeout) {
  config.header_timeout_ms = 300;
  start_server();
  HttpClient client(port());
  ASSERT_TRUE(client.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  EXPECT_TRUE(client.wait_closed(5s));
  EXPECT_TRUE(registry.render().find("seald_http_timeouts_total{phase=\"header\"} 1") !=
              std::string::npos);
}

TEST_F(Connections, AHeaderTrickledSlowlyIsStillCutOff) {
  config.header_timeout_ms = 400;
  start_server();
  HttpClient client(port());
  // Each byte resets nothing: the header timeout covers the whole header.
  bool closed = false;
  for (int i = 0; i < 100 && !closed; ++i) {
    client.send("X");
    closed = client.wait_closed(50ms);
  }
  EXPECT_TRUE(closed || client.wait_closed(5s));
}

TEST_F(Connections, ConnectingAndSendingNothingIsCutOff) {
  config.header_timeout_ms = 300;
  start_server();
  HttpClient client(port());
  EXPECT_TRUE(client.wait_closed(5s));
}

TEST_F(Connections, ASlowBodyIsCutOffAfterTheReadTimeout) {
  config.read_timeout_ms = 400;
  start_server(echo_router());
  HttpClient client(port());
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"));
  EXPECT_TRUE(client.wait_closed(5s));
  EXPECT_TRUE(registry.render().find("seald_http_timeouts_total{phase=\"read\"} 1") !=
              std::string::npos);
}

TEST_F(Connections, AnIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  config.idle_timeout_ms = 300;
  start_server();
  HttpClient client(port());
  auto response = client.get("/healthz");
  ASSERT_TRUE(response);
  EXPECT_TRUE(response->keep_alive);
  EXPECT_TRUE(client.wait_closed(5s));
  EXPECT_TRUE(registry.render().find("seald_http_timeouts_total{phase=\"idle\"} 1") !=
              std::string::npos);
}

TEST_F(Connections, TheClientClosingItsSideStillGetsItsAnswers) {
  start_server();
  HttpClient client(port());
  ASSERT_TRUE(client.send(make_request("GET", "/healthz") + make_request("GET", "/readyz")));
  client.shutdown_send();
  auto first = client.read_response();
  auto second = client.read_response();
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->status, 200u);
  EXPECT_EQ(second->status, 200u);
  EXPECT_TRUE(client.wait_closed(5s));
}

}  // namespace
}  // namespace seald::server::testing
