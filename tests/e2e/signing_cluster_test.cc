// Signing as a deployment sees it: two seald nodes on one Redis and one
// token, where a revocation through one is honoured by the other within a
// second and by the first at once; and the audit trail of signatures — one
// record each, a chain that verifies, and a tampered record named by the
// verifier.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

#include "tests/e2e/signing_support.h"
#include "tests/support/child_process.h"

namespace seald::testing {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

TEST(SigningCluster, ARevocationThroughOneNodeIsHonouredEverywhere) {
  SealdNode a;
  ASSERT_TRUE(a.start()) << a.log();
  SealdNode b(a, SealdNode::Options{});
  ASSERT_TRUE(b.start()) << b.log();
  SigningSetup s(a);
  RegisteredApp app = s.register_app("双节点应用");
  std::string first = s.make_seal("ec-p256");
  std::string second = s.make_seal("ec-p256");
  s.grant(app, first);
  s.grant(app, second);
  std::string token = s.token_for(app);
  std::string h = s.hash_b64(s.write("doc.txt", "正文"), "sha256");
  auto sign_on = [&](SealdNode& node, const std::string& code) {
    json::object body{
        {"seal_code", code}, {"hash_algorithm", "SHA-256"}, {"hashes", json::array{h}}};
    return api_call(node, "POST", "/sign", token, body);
  };
  // B learns of seals, grants and the token made through A.
  auto deadline = Clock::now() + std::chrono::seconds(2);
  while (sign_on(b, first).status != 200 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(sign_on(b, first).status, 200) << b.log();

  // Revoke through A; B refuses within 1 s.
  auto seal = api_call(a, "GET", "/seals/" + first, s.admin);
  auto revoked = api_call(a, "POST", "/seals/" + first + "/revoke", s.admin,
                          {{"version", seal.body.at("version")}, {"reason", "双节点"}});
  ASSERT_EQ(revoked.status, 200) << revoked.raw;
  auto returned = Clock::now();
  EXPECT_EQ(sign_on(a, first).error(), "seal_revoked") << "the serving node refuses at once";
  ApiReply on_b;
  do {
    on_b = sign_on(b, first);
  } while (on_b.status == 200 && Clock::now() - returned < std::chrono::seconds(2));
  auto took = Clock::now() - returned;
  EXPECT_EQ(on_b.error(), "seal_revoked") << on_b.raw;
  std::printf(
      "node B refused %lld ms after node A's revoke returned\n",
      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
  EXPECT_LT(took, std::chrono::seconds(1))
      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";

  // A client signing in a loop through A never gets a signature for a
  // request sent after A's report-loss call returned.
  std::atomic<bool> stop{false};
  std::atomic<Clock::rep> change_returned{Clock::time_point::max().time_since_epoch().count()};
  std::mutex mu;
  int late_signatures = 0, before = 0, refused_after = 0;
  std::thread client([&] {
    while (!stop) {
      auto sent = Clock::now();
      auto r = sign_on(a, second);
      std::lock_guard lock(mu);
      bool after = sent.time_since_epoch().count() > change_returned.load();
      if (r.status == 200) {
        (after ? late_signatures : before)++;
      } else if (after) {
        ++refused_after;
      }
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto current = api_call(a, "GET", "/seals/" + second, s.admin);
  auto lost = api_call(a, "POST", "/seals/" + second + "/report-loss", s.admin,
                       {{"version", current.body.at("version")}, {"reason", "遗失"}});
  change_returned = Clock::now().time_since_epoch().count();
  ASSERT_EQ(lost.status, 200) << lost.raw;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  client.join();
  EXPECT_GT(before, 0) << "the loop signed before the change";
  EXPECT_GT(refused_after, 0);
  EXPECT_EQ(late_signatures, 0);
}

TEST(SigningCluster, EverySignatureHasOneRecordInAChainThatVerifies) {
  SealdNode node;
  ASSERT_TRUE(node.start()) << node.log();
  SigningSetup s(node);
  RegisteredApp app = s.register_app("审计应用");
  std::string code = s.make_seal("ec-p256");
  s.grant(app, code);
  std::string token = s.token_for(app);
  std::vector<std::string> hashes;
  for (int i = 0; i < 5; ++i) {
    hashes.push_back(
        s.hash_b64(s.write("d" + std::to_string(i), "文档" + std::to_string(i)), "sha256"));
  }
  std::set<std::string> ids;
  for (int round = 0; round < 4; ++round) {
    auto r = s.sign(token, code, "SHA-256", hashes);
    ASSERT_EQ(r.status, 200) << r.raw;
    for (const auto& id : r.body.at("audit_ids").as_array()) {
      ids.insert(std::string(id.as_string()));
    }
  }
  EXPECT_EQ(ids.size(), 20u);
  auto listed = api_call(node, "GET", "/audit?action=sign&limit=100", s.admin);
  ASSERT_EQ(listed.status, 200) << listed.raw;
  std::set<std::string> listed_ids;
  for (const auto& record : listed.body.at("items").as_array()) {
    EXPECT_EQ(record.at("actor").as_string(), "app:" + app.client_id);
    EXPECT_EQ(record.at("result").as_string(), "ok");
    listed_ids.insert(std::string(record.at("id").as_string()));
  }
  EXPECT_EQ(listed_ids, ids) << "one record per signature, and the ids the client got";
  auto intact = api_call(node, "GET", "/audit/verify", s.admin);
  ASSERT_EQ(intact.status, 200) << intact.raw;
  EXPECT_TRUE(intact.body.at("intact").as_bool()) << intact.raw;

  // Change one signature record with redis-cli: a stream entry cannot be
  // edited, so copy the stream with that record's client address altered
  // and put the copy in its place.
  std::string victim = *std::next(ids.begin(), 7);
  auto& redis = node.redis();
  std::string lua =
      "local all = redis.call('XRANGE', KEYS[1], '-', '+') "
      "redis.call('DEL', KEYS[2]) "
      "for _, e in ipairs(all) do "
      "  local f = e[2] "
      "  if e[1] == ARGV[1] then "
      "    for i = 1, #f, 2 do if f[i] == 'client' then f[i+1] = '203.0.113.9' end end "
      "  end "
      "  redis.call('XADD', KEYS[2], e[1], unpack(f)) "
      "end "
      "redis.call('RENAME', KEYS[2], KEYS[1]) return #all";
  std::string copied = redis.cli({"EVAL", lua, "2", "seald:audit", "seald:audit:tampered", victim});
  EXPECT_NE(copied, "") << copied;
  auto broken = api_call(node, "GET", "/audit/verify", s.admin);
  ASSERT_EQ(broken.status, 200) << broken.raw;
  EXPECT_FALSE(broken.body.at("intact").as_bool()) << broken.raw;
  EXPECT_EQ(broken.str("first_broken_id"), victim) << broken.raw;
  std::string out;
  EXPECT_EQ(
      run_command({binary_path("cli/sealdctl"), "audit", "verify", "--config", node.config_file()},
                  &out),
      1)
      << out;
  EXPECT_NE(out.find(victim), std::string::npos) << out;
}

}  // namespace
}  // namespace seald::testing
