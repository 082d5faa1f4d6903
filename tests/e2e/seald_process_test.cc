// The seald process as operators see it: readiness, recovery, shutdown, a
// wrong PIN, metrics, and no secret in its logs or command line.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/support/seald_node.h"

namespace seald::testing {
namespace {

bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

std::string proc_file(pid_t pid, const char* name) {
  std::string text = read_file("/proc/" + std::to_string(pid) + "/" + name);
  for (char& c : text) {
    if (c == '\0') {
      c = ' ';
    }
  }
  return text;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

TEST(SealdProcess, ReadyWhenTokenAndRedisAnswer) {
  SealdNode node;
  ASSERT_TRUE(node.start()) << node.log();
  auto ready = http_request("GET", node.url("/readyz"));
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_NE(ready.body.find("\"hsm\":\"ok\""), std::string::npos) << ready.body;
  EXPECT_NE(ready.body.find("\"redis\":\"ok\""), std::string::npos) << ready.body;
  EXPECT_NE(ready.headers.find("X-Request-Id"), std::string::npos) << ready.headers;
  EXPECT_NE(node.log().find("127.0.0.1"), std::string::npos) << "it says where it listens";
}

TEST(SealdProcess, ReadyzNamesRedisWhileItIsDownAndRecoversByItself) {
  SealdNode node;
  ASSERT_TRUE(node.start()) << node.log();
  node.redis().stop();
  // Probes run every 500 ms, so readiness may lag the outage that long.
  HttpResponse down;
  EXPECT_TRUE(eventually([&] {
    down = http_request("GET", node.url("/readyz"));
    return down.status == 503;
  })) << down.body;
  EXPECT_NE(down.body.find("\"error\":\"not_ready\""), std::string::npos) << down.body;
  EXPECT_NE(down.body.find("redis"), std::string::npos) << down.body;
  EXPECT_EQ(http_request("GET", node.url("/healthz")).status, 200) << "the process stays alive";

  node.redis().start();
  EXPECT_TRUE(eventually([&] { return http_request("GET", node.url("/readyz")).status == 200; }))
      << "readiness must come back without a restart";
}

TEST(SealdProcess, SigtermStopsGracefully) {
  SealdNode node;
  ASSERT_TRUE(node.start()) << node.log();
  EXPECT_EQ(node.stop(), 0) << node.log();
  EXPECT_EQ(http_request("GET", node.url("/healthz")).status, 0) << "nothing listens any more";
}

TEST(SealdProcess, WrongPinIsRefusedWithItsPkcs11NameAndWithoutThePin) {
  SealdNode node;
  std::string right_pin = trimmed(node.token().pin());
  std::string wrong_pin = random_hex(16);
  write_file(node.token().pin_file(), wrong_pin + "\n", 0600);
  EXPECT_FALSE(node.start());
  EXPECT_FALSE(node.running());
  std::string log = node.log();
  EXPECT_NE(log.find("CKR_PIN_INCORRECT"), std::string::npos) << log;
  EXPECT_EQ(log.find(wrong_pin), std::string::npos) << "the PIN tried must not be logged";
  EXPECT_EQ(log.find(right_pin), std::string::npos);
}

TEST(SealdProcess, PinFileReadableByOthersIsRefused) {
  SealdNode node;
  std::filesystem::permissions(node.token().pin_file(), std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  EXPECT_FALSE(node.start());
  EXPECT_NE(node.log().find("chmod 600"), std::string::npos) << node.log();
}

TEST(SealdProcess, MetricsCountRequestsByRouteAndStatus) {
  SealdNode node;
  ASSERT_TRUE(node.start()) << node.log();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(http_request("GET", node.url("/readyz")).status, 200);
  }
  EXPECT_EQ(http_request("GET", node.url("/no-such-thing")).status, 404);
  auto metrics = http_request("GET", node.url("/metrics"));
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("seald_http_requests_total"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("status=\"200\""), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("status=\"404\""), std::string::npos) << metrics.body;
}

TEST(SealdProcess, NoSecretInLogsCommandLinesOrEnvironment) {
  SealdNode::Options options;
  options.log_level = "trace";
  SealdNode node(options);
  ASSERT_TRUE(node.start()) << node.log();
  std::string pin = trimmed(node.token().pin());
  std::string so_pin = trimmed(node.token().so_pin());
  const std::string& redis_password = node.redis_password();

  // Exercise every endpoint, a refusal and a Redis outage, so error paths log too.
  http_request("GET", node.url("/readyz"));
  http_request("GET", node.url("/metrics"));
  http_request("POST", node.url("/healthz"), "{}");
  node.redis().stop();
  EXPECT_TRUE(eventually([&] { return http_request("GET", node.url("/readyz")).status == 503; }));
  node.redis().start();
  eventually([&] { return http_request("GET", node.url("/readyz")).status == 200; });

  std::string seen = proc_file(node.pid(), "cmdline") + proc_file(node.pid(), "environ");
  ASSERT_EQ(node.stop(), 0);
  seen += node.log() + read_file(node.redis().log_file());
  for (const std::string& secret : {pin, so_pin, redis_password}) {
    ASSERT_FALSE(secret.empty());
    EXPECT_EQ(seen.find(secret), std::string::npos) << "a secret leaked";
  }
  EXPECT_NE(node.log().find("readyz"), std::string::npos) << "trace logging was really on";
}

}  // namespace
}  // namespace seald::testing
