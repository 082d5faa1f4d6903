// Issue 7 item 3: hostile input against a real seald (Redis, SoftHSMv2).
// Every case is a request a careless or malicious client could send; each
// must get a 4xx or a closed connection, and seald must still sign a valid
// request afterwards. The tables live in hostile_cases_*.cc; the counts per
// category are printed for docs/reliability.md.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "tests/e2e/hostile_support.h"

namespace seald::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<HostileCase> concat(std::vector<std::vector<HostileCase>> tables) {
  std::vector<HostileCase> all;
  for (auto& table : tables) {
    all.insert(all.end(), table.begin(), table.end());
  }
  return all;
}

TEST(HostileInput, JsonBodiesAreRefusedAndSigningGoesOn) {
  HostileEnv env;
  ASSERT_EQ(env.sign_check(), "");
  Tally tally;
  auto cases = concat({json_body_cases(env.target), sign_field_cases(env.target)});
  EXPECT_GE(cases.size(), 200u);
  run_table(env, cases, &tally);
  print_tally(tally);
}

TEST(HostileInput, HttpFramingAuthAndTargetsAreRefusedAndSigningGoesOn) {
  HostileEnv env;
  ASSERT_EQ(env.sign_check(), "");
  Tally tally;
  auto cases =
      concat({http_framing_cases(env.target), auth_cases(env.target), target_cases(env.target)});
  EXPECT_GE(cases.size(), 100u);
  run_table(env, cases, &tally);
  print_tally(tally);
}

// Slow clients: each stalls somewhere in its request; seald must hang up
// within the configured timeout (plus scheduling slack), and not before
// the client had a fair chance. All stall at once, so the test takes one
// timeout, not one per client.
TEST(HostileInput, SlowClientsAreCutOffWithinTheirTimeouts) {
  HostileEnv env;
  const std::string auth = "Authorization: Bearer " + env.target.app_token;
  const std::string body = env.sign_body();
  struct Slow {
    std::string name, first_bytes;
    unsigned timeout_ms;
    bool drip = false;  // keeps sending one header byte every 100 ms
  };
  const std::vector<Slow> slow{
      {"connects and sends nothing", "", kHeaderTimeoutMs},
      {"half a request line", "POST /api/v1/si", kHeaderTimeoutMs},
      {"headers without the blank line",
       "POST /api/v1/sign HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", kHeaderTimeoutMs},
      {"header dripped a byte at a time",
       "POST /api/v1/sign HTTP/1.1\r\nX-Slow: ", kHeaderTimeoutMs, true},
      {"half the body", http_message("POST", "/api/v1/sign", body, {auth}).substr(0, 200),
       kReadTimeoutMs},
      {"headers, no body",
       "POST /api/v1/sign HTTP/1.1\r\nHost: x\r\n" + auth + "\r\nContent-Length: 300\r\n\r\n",
       kReadTimeoutMs},
      {"chunked body stalls",
       "POST /api/v1/sign HTTP/1.1\r\nHost: x\r\n" + auth +
           "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"sea",
       kReadTimeoutMs},
  };
  std::vector<RawConnection> connections;
  auto started = Clock::now();
  for (const Slow& s : slow) {
    connections.emplace_back(env.target.port);
    ASSERT_TRUE(connections.back().connected());
    ASSERT_TRUE(connections.back().send(s.first_bytes)) << s.name;
  }
  // While they stall, honest clients are served.
  EXPECT_EQ(env.sign_check(), "");
  std::vector<double> closed_after(slow.size(), -1);
  auto deadline = started + std::chrono::milliseconds(kReadTimeoutMs + 2500);
  while (Clock::now() < deadline) {
    bool all = true;
    for (std::size_t i = 0; i < slow.size(); ++i) {
      if (closed_after[i] >= 0) {
        continue;
      }
      if (slow[i].drip) {
        connections[i].send("x");
      }
      if (connections[i].wait_closed(std::chrono::milliseconds(10))) {
        closed_after[i] = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
      } else {
        all = false;
      }
    }
    if (all) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(80));
  }
  for (std::size_t i = 0; i < slow.size(); ++i) {
    EXPECT_GE(closed_after[i], 0) << slow[i].name << ": still open";
    EXPECT_LE(closed_after[i], slow[i].timeout_ms + 1500.0) << slow[i].name;
    EXPECT_GE(closed_after[i], slow[i].timeout_ms * 0.8) << slow[i].name << ": closed early";
    std::printf("hostile-input | slow client | %-32s | closed after %6.0f ms (timeout %u ms)\n",
                slow[i].name.c_str(), closed_after[i], slow[i].timeout_ms);
  }
  EXPECT_EQ(env.sign_check(), "");
  // An idle keep-alive connection is closed after idle_timeout_ms.
  RawConnection keep(env.target.port);
  ASSERT_TRUE(keep.send(http_message("GET", "/healthz", "")));
  EXPECT_EQ(keep.read_response().status, 200);
  auto idle_from = Clock::now();
  EXPECT_TRUE(keep.wait_closed(std::chrono::milliseconds(kIdleTimeoutMs + 1500)));
  EXPECT_GE(Clock::now() - idle_from, std::chrono::milliseconds(kIdleTimeoutMs * 8 / 10));
  EXPECT_EQ(env.sign_check(), "");
  EXPECT_TRUE(env.node.running());
}

// Floods: many connections at once, bounded in count and time. seald keeps
// signing during and after each.
TEST(HostileInput, ConnectionFloodsLeaveSigningWorking) {
  HostileEnv env;
  constexpr int kFlood = 500;
  const auto started = Clock::now();
  {  // open 500 at once, then drop them all
    std::vector<RawConnection> flood;
    for (int i = 0; i < kFlood; ++i) {
      flood.emplace_back(env.target.port);
    }
    int connected = 0;
    for (auto& c : flood) {
      connected += c.connected() ? 1 : 0;
    }
    EXPECT_EQ(connected, kFlood);
    EXPECT_EQ(env.sign_check(), "") << "while 500 idle connections are open";
  }
  EXPECT_EQ(env.sign_check(), "") << "after 500 connections dropped";
  {  // 500 that each send half a request and stall: all are cut off
    std::vector<RawConnection> flood;
    for (int i = 0; i < kFlood; ++i) {
      flood.emplace_back(env.target.port);
      flood.back().send("POST /api/v1/sign HTTP/1.1\r\nHost: x\r\nContent-Le");
    }
    EXPECT_EQ(env.sign_check(), "") << "while 500 half-requests stall";
    int closed = 0;
    for (auto& c : flood) {
      closed += c.wait_closed(std::chrono::milliseconds(kHeaderTimeoutMs + 3000)) ? 1 : 0;
    }
    EXPECT_EQ(closed, kFlood) << "every stalled connection is closed by the header timeout";
  }
  EXPECT_EQ(env.sign_check(), "");
  {  // 300 connections, each a garbage request, all sent before any is read
    std::vector<RawConnection> flood;
    for (int i = 0; i < 300; ++i) {
      flood.emplace_back(env.target.port);
      flood.back().send("POST /api/v1/sign HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n{{{");
    }
    int refused = 0;
    for (auto& c : flood) {
      auto reply = c.read_response(std::chrono::milliseconds(5000));
      refused += reply.status >= 400 && reply.status < 500 ? 1 : 0;
    }
    EXPECT_EQ(refused, 300);
  }
  {  // churn: 500 connections that send half a request line and hang up
    for (int i = 0; i < kFlood; ++i) {
      RawConnection c(env.target.port);
      c.send("GET /healthz HTTP/1.1\r\n");
    }
  }
  EXPECT_EQ(env.sign_check(), "");
  EXPECT_TRUE(env.node.running());
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(30));
  std::printf("hostile-input | floods | 4 floods of 300-500 connections | seald up, signing\n");
}

}  // namespace
}  // namespace seald::testing
