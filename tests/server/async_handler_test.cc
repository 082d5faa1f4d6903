// Handlers that answer later, from other threads, and what clients see when
// the server stops or many of them arrive at once.

#include <atomic>
#include <chrono>
#include <csignal>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/server/server_fixture.h"

namespace seald::server::testing {
namespace {

using namespace std::chrono_literals;
using AsyncHandlers = ServerTest;

// Answers each request from its own thread after a delay, as the signing
// handler will once a group commit acknowledges its audit record.
class DelayedWorker {
 public:
  ~DelayedWorker() {
    for (auto& thread : threads_) {
      thread.join();
    }
  }

  AsyncHandler handler(std::chrono::milliseconds delay) {
    return [this, delay](const Request& request, const RequestContext& context, Responder respond) {
      started.fetch_add(1);
      std::lock_guard lock(mutex_);
      threads_.emplace_back([delay, respond, &request, &context] {
        std::this_thread::sleep_for(delay);
        // The request and context are still valid: we hold the Responder.
        respond(json_response(http::status::ok,
                              {{"echo", request.body()}, {"id", context.request_id}}));
      });
    };
  }

  std::atomic<int> started{0};

 private:
  std::mutex mutex_;
  std::vector<std::thread> threads_;
};

TEST_F(AsyncHandlers, AnswerFromAnotherThreadAfterADelay) {
  DelayedWorker worker;
  Router router;
  router.add_async(http::verb::post, "/slow", "slow", worker.handler(200ms));
  config.io_threads = 1;  // the one I/O thread must stay free while we wait
  start_server(std::move(router));

  HttpClient slow(port());
  ASSERT_TRUE(slow.send(make_request("POST", "/slow", {{"X-Request-Id", "r1"}}, "payload")));
  ASSERT_TRUE(eventually([&] { return worker.started == 1; }));
  HttpClient other(port());
  auto quick = other.get("/healthz");
  ASSERT_TRUE(quick);
  EXPECT_EQ(quick->status, 200u);

  auto response = slow.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200u);
  EXPECT_EQ(json_field(*response, "echo"), "payload");
  EXPECT_EQ(json_field(*response, "id"), "r1");
  EXPECT_EQ(response->header("X-Request-Id"), "r1");
}

TEST_F(AsyncHandlers, PipelinedAsyncAnswersKeepRequestOrder) {
  Router router;
  std::mutex mutex;
  std::vector<Responder> parked;
  router.add_async(http::verb::post, "/park", "park",
                   [&](const Request&, const RequestContext&, Responder respond) {
                     std::lock_guard lock(mutex);
                     parked.push_back(respond);
                   });
  start_server(std::move(router));
  HttpClient client(port());
  ASSERT_TRUE(
      client.send(make_request("POST", "/park", {}, "a") + make_request("POST", "/park", {}, "b")));
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return parked.size() == 2;
  }));
  {
    std::lock_guard lock(mutex);
    parked[1](text_response(http::status::ok, "second", "text/plain"));
    parked[0](text_response(http::status::ok, "first", "text/plain"));
    parked.clear();
  }
  EXPECT_EQ(client.read_response()->body, "first");
  EXPECT_EQ(client.read_response()->body, "second");
}

TEST_F(AsyncHandlers, AHandlerThatDropsItsResponderYields500) {
  Router router;
  router.add_async(http::verb::get, "/drop", "drop",
                   [](const Request&, const RequestContext&, Responder) {});
  start_server(std::move(router));
  HttpClient client(port());
  auto response = client.get("/drop");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500u);
  EXPECT_EQ(json_field(*response, "error"), "internal");
  EXPECT_EQ(client.get("/healthz")->status, 200u);
}

TEST_F(AsyncHandlers, AThrowingHandlerYields500AndTheServerStaysUp) {
  Router router;
  router.add(
      http::verb::get, "/throw", "throw",
      [](const Request&, const RequestContext&) -> Response { throw std::runtime_error("boom"); });
  start_server(std::move(router));
  HttpClient client(port());
  auto response = client.get("/throw");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500u);
  EXPECT_EQ(json_field(*response, "error"), "internal");
  EXPECT_EQ(client.get("/healthz")->status, 200u);
}

TEST_F(AsyncHandlers, StopLetsInFlightRequestsFinishAndRefusesNewConnections) {
  DelayedWorker worker;
  Router router;
  router.add_async(http::verb::post, "/slow", "slow", worker.handler(500ms));
  start_server(std::move(router));

  HttpClient in_flight(port());
  ASSERT_TRUE(in_flight.send(make_request("POST", "/slow", {}, "finish me")));
  HttpClient idle(port());
  ASSERT_EQ(idle.get("/healthz")->status, 200u);
  ASSERT_TRUE(eventually([&] { return worker.started == 1; }));

  std::thread stopper([&] { server->stop(); });
  // Idle keep-alive connections are closed at once; new ones are refused.
  EXPECT_TRUE(idle.wait_closed(5s));
  EXPECT_TRUE(eventually([&] { return !can_connect(port()); }, 5s));

  auto response = in_flight.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200u);
  EXPECT_EQ(json_field(*response, "echo"), "finish me");
  EXPECT_FALSE(response->keep_alive);  // the server says it is closing
  EXPECT_TRUE(in_flight.wait_closed(5s));
  stopper.join();
}

TEST_F(AsyncHandlers, StopClosesWhatIsLeftAfterTheGracePeriod) {
  config.shutdown_grace_ms = 200;
  Router router;
  std::mutex mutex;
  std::vector<Responder> parked;  // never answered before stop
  router.add_async(http::verb::get, "/never", "never",
                   [&](const Request&, const RequestContext&, Responder respond) {
                     std::lock_guard lock(mutex);
                     parked.push_back(respond);
                   });
  start_server(std::move(router));
  HttpClient client(port());
  ASSERT_TRUE(client.send(make_request("GET", "/never")));
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return parked.size() == 1;
  }));
  server->stop();  // returns after the grace period
  EXPECT_TRUE(client.wait_closed(5s));
  // A late answer after stop() is harmless.
  std::lock_guard lock(mutex);
  parked[0](json_response(http::status::ok, {}));
  parked.clear();
}

TEST_F(AsyncHandlers, ManyConcurrentClientsGetAllTheirResponses) {
  DelayedWorker worker;
  Router router;
  router.add_async(http::verb::post, "/slow", "slow", worker.handler(1ms));
  router.add(http::verb::post, "/echo", "echo", [](const Request& request, const RequestContext&) {
    return text_response(http::status::ok, request.body(), "text/plain");
  });
  start_server(std::move(router));

  constexpr int kClients = 16;
  constexpr int kRequestsEach = 25;
  std::vector<std::future<int>> results;
  for (int c = 0; c < kClients; ++c) {
    results.push_back(std::async(std::launch::async, [this, c] {
      HttpClient client(port());
      int ok = 0;
      for (int i = 0; i < kRequestsEach; ++i) {
        std::string body = std::to_string(c) + "/" + std::to_string(i);
        auto response = client.request("POST", i % 2 ? "/slow" : "/echo", {}, body);
        if (!response || response->status != 200u) {
          break;
        }
        bool matches = i % 2 ? json_field(*response, "echo") == body : response->body == body;
        ok += matches ? 1 : 0;
      }
      return ok;
    }));
  }
  for (auto& result : results) {
    EXPECT_EQ(result.get(), kRequestsEach);
  }
  const std::string text = registry.render();
  EXPECT_NE(text.find("seald_http_requests_total{route=\"echo\",status=\"200\"} " +
                      std::to_string(kClients * ((kRequestsEach + 1) / 2)) + "\n"),
            std::string::npos);
}

TEST_F(AsyncHandlers, SigtermStopsRunUntilSignal) {
  start_server();
  struct sigaction before {};
  ASSERT_EQ(sigaction(SIGTERM, nullptr, &before), 0);
  auto runner = std::async(std::launch::async, [this] { server->run_until_signal(); });
  // Send the signal only once run_until_signal has installed its handler.
  ASSERT_TRUE(eventually([] {
    struct sigaction now {};
    sigaction(SIGTERM, nullptr, &now);
    return now.sa_handler != SIG_DFL;
  }));
  HttpClient client(port());
  ASSERT_EQ(client.get("/healthz")->status, 200u);
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  EXPECT_EQ(runner.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(client.wait_closed(5s));
  EXPECT_FALSE(can_connect(port()));
}

}  // namespace
}  // namespace seald::server::testing
