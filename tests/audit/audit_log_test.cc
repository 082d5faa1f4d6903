#include <gtest/gtest.h>

#include <thread>

#include "audit/log.h"
#include "tests/support/redis_server.h"

namespace seald::audit {
namespace {

using seald::testing::RedisServer;

redis::Endpoint endpoint_for(const RedisServer& server) {
  redis::Endpoint e;
  e.port = server.port();
  e.connect_timeout = std::chrono::milliseconds(500);
  return e;
}

Record event(const std::string& action, const std::string& target, std::int64_t t = 1000) {
  Record r;
  r.time_ms = t;
  r.actor = "user:7";
  r.action = action;
  r.target = target;
  r.result = "ok";
  r.request_id = "req-" + target;
  r.client = "127.0.0.1";
  r.details = {{"before", "{\"state\":\"pending_review\"}"}, {"after", "{\"state\":\"returned\"}"}};
  return r;
}

class AuditLogTest : public ::testing::Test {
 protected:
  RedisServer server;
  redis::Pool pool{endpoint_for(server), 4};
  AuditLog log{pool, Durability{}};
};

TEST_F(AuditLogTest, RecordsChainFromGenesisAndVerify) {
  Record first = event("application.create", "application:1");
  ASSERT_TRUE(log.append(first));
  EXPECT_EQ(first.prev_hash, kGenesisHash);
  std::vector<Record> batch{event("application.return", "application:1"),
                            event("application.resubmit", "application:1")};
  ASSERT_TRUE(log.append(batch));
  EXPECT_EQ(batch[0].prev_hash, first.hash);
  EXPECT_EQ(batch[1].prev_hash, batch[0].hash);
  EXPECT_FALSE(batch[1].id.empty());

  auto v = log.verify();
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->intact) << v->reason;
  EXPECT_EQ(v->checked, 3u);
  EXPECT_EQ(server.cli({"XLEN", AuditLog::kStreamKey}), "3");
}

TEST_F(AuditLogTest, AChangedRecordIsNamedByTheVerifier) {
  for (int i = 0; i < 5; ++i) {
    Record r = event("org.update", "org:" + std::to_string(i));
    ASSERT_TRUE(log.append(r));
  }
  // Rewrite the stream with the third record's target altered, as someone
  // with redis-cli access might: same ids, same hashes, one field changed.
  std::string ids = server.cli({"XRANGE", AuditLog::kStreamKey, "-", "+"});
  auto page = log.list({}, "", 10);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->records.size(), 5u);
  std::vector<Record> oldest_first(page->records.rbegin(), page->records.rend());
  server.cli({"DEL", AuditLog::kStreamKey});
  for (std::size_t i = 0; i < oldest_first.size(); ++i) {
    Record r = oldest_first[i];
    if (i == 2) {
      r.target = "org:999";
    }
    std::vector<std::string> args{"XADD",
                                  AuditLog::kStreamKey,
                                  r.id,
                                  "t",
                                  std::to_string(r.time_ms),
                                  "actor",
                                  r.actor,
                                  "action",
                                  r.action,
                                  "target",
                                  r.target,
                                  "result",
                                  r.result,
                                  "rid",
                                  r.request_id,
                                  "client",
                                  r.client,
                                  "prev",
                                  r.prev_hash,
                                  "hash",
                                  r.hash};
    for (const auto& [k, val] : r.details) {
      args.push_back("d." + k);
      args.push_back(val);
    }
    server.cli(args);
  }
  auto v = log.verify();
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->intact);
  EXPECT_EQ(v->first_broken_id, oldest_first[2].id);
  EXPECT_NE(v->reason.find("hash"), std::string::npos) << v->reason;
}

TEST_F(AuditLogTest, ADeletedRecordBreaksTheNextLink) {
  std::vector<Record> batch;
  for (int i = 0; i < 4; ++i) {
    batch.push_back(event("user.login", "user:" + std::to_string(i)));
  }
  ASSERT_TRUE(log.append(batch));
  server.cli({"XDEL", AuditLog::kStreamKey, batch[1].id});
  auto v = log.verify();
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->intact);
  EXPECT_EQ(v->first_broken_id, batch[2].id);
}

TEST_F(AuditLogTest, TwoWritersExtendOneChain) {
  redis::Pool other_pool(endpoint_for(server), 2);
  AuditLog other(other_pool, Durability{});
  auto writer = [](AuditLog& target, const std::string& who) {
    for (int i = 0; i < 50; ++i) {
      Record r = event("seal.grant", who + std::to_string(i));
      ASSERT_TRUE(target.append(r));
    }
  };
  std::thread a(writer, std::ref(log), "a");
  std::thread b(writer, std::ref(other), "b");
  a.join();
  b.join();
  auto v = log.verify();
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->intact) << v->reason << " at " << v->first_broken_id;
  EXPECT_EQ(v->checked, 100u);
}

TEST_F(AuditLogTest, ListFiltersNewestFirstWithCursor) {
  for (int i = 0; i < 30; ++i) {
    Record r = event(i % 2 == 0 ? "seal.revoke" : "user.login", "t" + std::to_string(i), 1000 + i);
    ASSERT_TRUE(log.append(r));
  }
  Filter f;
  f.action = "seal.";
  auto first = log.list(f, "", 10);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->records.size(), 10u);
  EXPECT_EQ(first->records.front().target, "t28") << "newest first";
  auto second = log.list(f, first->next_cursor, 10);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->records.size(), 5u);
  EXPECT_EQ(second->records.back().target, "t0");
  for (const auto& r : second->records) {
    EXPECT_EQ(r.action, "seal.revoke");
  }
}

TEST_F(AuditLogTest, RedisDownIsAuditUnavailableAndNothingIsLost) {
  Record r = event("org.create", "org:1");
  ASSERT_TRUE(log.append(r));
  server.stop();
  Record lost = event("org.create", "org:2");
  auto down = log.append(lost);
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, "audit_unavailable");
  server.start();
  Record again = event("org.create", "org:3");
  ASSERT_TRUE(log.append(again)) << "appends recover by themselves";
  auto v = log.verify();
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->intact);
  EXPECT_EQ(v->checked, 2u) << "the record before the restart survived (AOF)";
}

TEST_F(AuditLogTest, WaitDurabilityWithoutReplicasRefuses) {
  AuditLog strict(pool, Durability{true, 1, std::chrono::milliseconds(100)});
  Record r = event("seal.revoke", "seal:1");
  auto st = strict.append(r);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "audit_unavailable");
  EXPECT_NE(st.error().message.find("replica"), std::string::npos);
}

}  // namespace
}  // namespace seald::audit
