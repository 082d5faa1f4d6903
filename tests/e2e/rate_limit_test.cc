// Per-app rate limits on a real node with a small default ([signing]
// rate_per_s = 5, burst = 5): a request costs one token per hash, the app
// over its limit gets 429 rate_limited with Retry-After on both doors, the
// bucket refills with time, apps are limited independently, and a system
// admin's per-app limit applies at once on the node that served it.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <thread>

#include "tests/e2e/signing_support.h"

namespace seald::testing {
namespace {

namespace json = boost::json;

struct Signed {
  int status = 0;
  std::string error;
  std::string retry_after;  // the header's value; empty when absent
};

// The value of a response header, by case-insensitive name.
std::string header(const std::string& headers, std::string name) {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  };
  std::string text = lower(headers);
  name = lower(name) + ":";
  auto at = text.find("\n" + name);
  if (at == std::string::npos) {
    return "";
  }
  auto start = at + 1 + name.size();
  auto end = headers.find_first_of("\r\n", start);
  std::string value = headers.substr(start, end - start);
  value.erase(0, value.find_first_not_of(' '));
  return value;
}

class RateLimits : public ::testing::Test {
 protected:
  RateLimits() : node(SealdNode::Options{"debug", {}, "[signing]\nrate_per_s = 5\nburst = 5\n"}) {}

  void SetUp() override {
    ASSERT_TRUE(node.start()) << node.log();
    setup = std::make_unique<SigningSetup>(node);
    seal = setup->make_seal("ec-p256");
    hash = setup->hash_b64(setup->write("doc.txt", "限流测试正文"), "sha256");
  }

  std::pair<RegisteredApp, std::string> app_with_token(const std::string& name) {
    RegisteredApp app = setup->register_app(name);
    setup->grant(app, seal);
    return {app, setup->token_for(app)};
  }

  // n hashes through /api/v1/sign, or through CSC signHash.
  Signed sign(const std::string& token, int n, bool csc = false) {
    json::array hashes;
    for (int i = 0; i < n; ++i) {
      hashes.emplace_back(hash);
    }
    json::object body =
        csc ? json::object{{"credentialID", seal},
                           {"hashes", hashes},
                           {"signAlgo", "1.2.840.10045.4.3.2"}}
            : json::object{{"seal_code", seal}, {"hash_algorithm", "SHA-256"}, {"hashes", hashes}};
    auto r = http_request("POST", node.url(csc ? "/csc/v2/signatures/signHash" : "/api/v1/sign"),
                          json::serialize(body),
                          {"Content-Type: application/json", "Authorization: Bearer " + token});
    Signed out{r.status, "", header(r.headers, "Retry-After")};
    boost::system::error_code ec;
    auto parsed = json::parse(r.body, ec);
    if (!ec && parsed.is_object() && parsed.as_object().contains("error")) {
      out.error = std::string(parsed.at("error").as_string());
    }
    return out;
  }

  SealdNode node;
  std::unique_ptr<SigningSetup> setup;
  std::string seal, hash;
};

TEST_F(RateLimits, OverTheLimitIs429WithRetryAfterUntilTheBucketRefills) {
  auto [app, token] = app_with_token("限流应用");
  // Within the burst: 3 + 2 hashes are 5 signatures, all signed.
  EXPECT_EQ(sign(token, 3).status, 200);
  EXPECT_EQ(sign(token, 2).status, 200);
  // Five more at once cannot have refilled yet (one token per 200 ms).
  Signed refused = sign(token, 5);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.error, "rate_limited");
  EXPECT_EQ(refused.retry_after, "1");
  // The CSC door shares the bucket and says the same in its own shape.
  Signed csc = sign(token, 5, true);
  EXPECT_EQ(csc.status, 429);
  EXPECT_EQ(csc.error, "rate_limited");
  EXPECT_EQ(csc.retry_after, "1");

  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  Signed again = sign(token, 5);
  EXPECT_EQ(again.status, 200) << again.error;
  EXPECT_EQ(again.retry_after, "");

  // Operators see the refusals by app.
  auto metrics = http_request("GET", node.url("/metrics"));
  EXPECT_NE(metrics.body.find("seald_signatures_total{app=\"" + app.client_id +
                              "\",result=\"rate_limited\"} 2"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(
      metrics.body.find("seald_signatures_total{app=\"" + app.client_id + "\",result=\"ok\"} 10"),
      std::string::npos);
}

TEST_F(RateLimits, AppsAreLimitedIndependently) {
  auto [first, first_token] = app_with_token("甲应用");
  auto [second, second_token] = app_with_token("乙应用");
  ASSERT_EQ(sign(first_token, 5).status, 200);
  EXPECT_EQ(sign(first_token, 5).status, 429);
  // The second app's bucket is untouched by the first's.
  EXPECT_EQ(sign(second_token, 5).status, 200);
  EXPECT_EQ(sign(second_token, 5).status, 429);
}

TEST_F(RateLimits, AnAppsOwnLimitAppliesAtOnceAndCanBeCleared) {
  auto [busy, busy_token] = app_with_token("大批量应用");
  auto [plain, plain_token] = app_with_token("普通应用");
  ASSERT_EQ(sign(busy_token, 5).status, 200);
  ASSERT_EQ(sign(busy_token, 5).status, 429);
  ASSERT_EQ(sign(plain_token, 5).status, 200);

  auto now = api_call(node, "GET", "/apps/" + busy.id, setup->admin);
  auto raised =
      api_call(node, "POST", "/apps/" + busy.id + "/rate-limit", setup->admin,
               {{"version", now.body.at("version")}, {"rate_per_s", 100}, {"burst", 200}});
  ASSERT_EQ(raised.status, 200) << raised.raw;
  // The other app keeps the default (asked first: its bucket refills with time).
  EXPECT_EQ(sign(plain_token, 5).status, 429);
  // No waiting: the node that served the change has it in its cache, and a
  // new limit starts with a full bucket.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(sign(busy_token, 64).status, 200) << i;
  }

  // Back to the default: the burst of 5 again.
  auto cleared = api_call(node, "POST", "/apps/" + busy.id + "/rate-limit", setup->admin,
                          {{"version", raised.body.at("version")}});
  ASSERT_EQ(cleared.status, 200) << cleared.raw;
  EXPECT_TRUE(cleared.body.at("rate_limit").is_null());
  EXPECT_EQ(sign(busy_token, 5).status, 200);
  EXPECT_EQ(sign(busy_token, 5).status, 429);
}

}  // namespace
}  // namespace seald::testing
