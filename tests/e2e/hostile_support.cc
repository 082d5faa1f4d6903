#include "tests/e2e/hostile_support.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <stdexcept>

#include "core/base64.h"
#include "tests/e2e/walk_support.h"

namespace seald::testing {

namespace json = boost::json;

namespace {

SealdNode::Options hostile_options() {
  SealdNode::Options options;
  options.log_level = "info";  // debug would log every one of the flood's connections
  // The test node's TOML already has its [server] table, so the limits go in
  // through the environment, as an operator could also set them.
  options.extra_env = {
      {"SEALD_SERVER_HEADER_TIMEOUT_MS", std::to_string(kHeaderTimeoutMs)},
      {"SEALD_SERVER_READ_TIMEOUT_MS", std::to_string(kReadTimeoutMs)},
      {"SEALD_SERVER_IDLE_TIMEOUT_MS", std::to_string(kIdleTimeoutMs)},
      {"SEALD_SERVER_BODY_LIMIT", std::to_string(kBodyLimit)},
      {"SEALD_SERVER_HEADER_LIMIT", std::to_string(kHeaderLimit)},
  };
  return options;
}

unsigned short port_of(const SealdNode& node) {
  std::string url = node.url("");
  return static_cast<unsigned short>(std::stoi(url.substr(url.rfind(':') + 1)));
}

std::string random_hash_b64() {
  static std::mt19937_64 rng{std::random_device{}()};
  std::uint8_t bytes[32];
  for (auto& b : bytes) {
    b = static_cast<std::uint8_t>(rng());
  }
  return base64_encode(std::span<const std::uint8_t>(bytes, sizeof bytes));
}

bool is_4xx(int status) {
  return status >= 400 && status < 500;
}

}  // namespace

HostileEnv::HostileEnv() : node(hostile_options()) {
  if (!node.start()) {
    throw std::runtime_error("seald did not start:\n" + node.log());
  }
  setup = std::make_unique<SigningSetup>(node);
  target.port = port_of(node);
  target.admin_token = setup->admin;
  target.org_id = setup->bureau;
  target.user_id = user_id_of(node, setup->admin);
  target.seal_code = setup->make_seal("ec-p256");
  RegisteredApp app = setup->register_app("恶意输入测试应用");
  setup->grant(app, target.seal_code);
  target.app_id = app.id;
  target.client_id = app.client_id;
  target.client_secret = app.secret;
  target.app_token = setup->token_for(app);
  // An application left pending, for the workflow endpoints' bodies.
  auto pending = api_call(node, "POST", "/applications", setup->admin,
                          {{"kind", "new"},
                           {"org_id", setup->bureau},
                           {"approving_org_id", setup->city},
                           {"seal_name", "恶意输入待审章"},
                           {"seal_type", "finance"},
                           {"usage", "cloud"},
                           {"validity", "1y"},
                           {"payment_mode", "unified"}});
  target.application_id = pending.str("id");
  if (target.app_token.empty() || target.application_id.empty()) {
    throw std::runtime_error("hostile-input setup failed: " + pending.raw);
  }
}

std::string HostileEnv::sign_body() const {
  return json::serialize(json::object{{"seal_code", target.seal_code},
                                      {"hash_algorithm", "SHA-256"},
                                      {"hashes", json::array{json::string(random_hash_b64())}}});
}

std::string HostileEnv::sign_check() {
  auto reply =
      raw_exchange(target.port, http_message("POST", "/api/v1/sign", sign_body(),
                                             {"Content-Type: application/json",
                                              "Authorization: Bearer " + target.app_token}));
  if (reply.status != 200) {
    return "sign got status " + std::to_string(reply.status) + (reply.closed ? " (closed)" : "") +
           (reply.timed_out ? " (timed out)" : "") + ": " + reply.body;
  }
  boost::system::error_code ec;
  auto v = json::parse(reply.body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("signatures") ||
      v.at("signatures").as_array().size() != 1) {
    return "sign got 200 without a signature: " + reply.body;
  }
  return "";
}

void run_table(HostileEnv& env, const std::vector<HostileCase>& cases, Tally* tally,
               int probe_every) {
  int since_probe = 0;
  for (const HostileCase& c : cases) {
    RawConnection connection(env.target.port);
    connection.send(c.bytes);  // a server that refuses early may stop reading
    auto reply = connection.read_response();
    bool ok = is_4xx(reply.status) ||
              (c.expect == Expect::client_error_or_close && reply.status == 0 && reply.closed);
    if (ok && c.status != 0 && reply.status != 0) {
      ok = reply.status == c.status;
    }
    if (ok && c.then_closed && !reply.closed) {
      auto next = connection.read_response(Millis(3000));
      ok = next.status == 0 && next.closed;
      reply.body += next.status != 0 ? "\n(then answered " + std::to_string(next.status) + ")"
                                     : "\n(then not closed)";
    }
    EXPECT_TRUE(ok) << "[" << c.category << "] " << c.name << ": status " << reply.status
                    << (reply.closed ? ", closed" : "") << (reply.timed_out ? ", timed out" : "")
                    << "\n"
                    << reply.head << reply.body.substr(0, 300);
    auto& [ran, passed] = (*tally)[c.category];
    ++ran;
    passed += ok ? 1 : 0;
    if (++since_probe >= probe_every) {
      since_probe = 0;
      std::string problem = env.sign_check();
      EXPECT_EQ(problem, "") << "after [" << c.category << "] " << c.name;
      if (!problem.empty() && !env.node.running()) {
        FAIL() << "seald died after [" << c.category << "] " << c.name << "\n"
               << env.node.log().substr(env.node.log().size() > 4000 ? env.node.log().size() - 4000
                                                                     : 0);
      }
    }
  }
  EXPECT_TRUE(env.node.running());
}

void print_tally(const Tally& tally) {
  int ran = 0, passed = 0;
  for (const auto& [category, counts] : tally) {
    std::printf("hostile-input | %-28s | %4d cases | %4d as expected\n", category.c_str(),
                counts.first, counts.second);
    ran += counts.first;
    passed += counts.second;
  }
  std::printf("hostile-input | %-28s | %4d cases | %4d as expected\n", "total", ran, passed);
}

}  // namespace seald::testing
