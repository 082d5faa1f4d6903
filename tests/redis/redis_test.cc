#include <gtest/gtest.h>

#include "redis/pool.h"
#include "tests/support/redis_server.h"

namespace seald::redis {
namespace {

using seald::testing::RedisServer;

Endpoint endpoint_for(const RedisServer& server, std::optional<Secret> password = {}) {
  Endpoint e;
  e.port = server.port();
  e.password = std::move(password);
  e.connect_timeout = std::chrono::milliseconds(500);
  e.command_timeout = std::chrono::milliseconds(1000);
  return e;
}

TEST(RedisConnection, CommandsAreBinarySafe) {
  RedisServer server;
  auto conn = Connection::connect(endpoint_for(server));
  ASSERT_TRUE(conn) << conn.error().message;
  std::string value("a\0b \r\n\"c", 8);
  ASSERT_TRUE((*conn)->command({"SET", "k", value}));
  auto got = (*conn)->command({"GET", "k"});
  ASSERT_TRUE(got);
  EXPECT_EQ(got->str(), value);
}

TEST(RedisConnection, ErrorReplyIsAnErrorValue) {
  RedisServer server;
  auto conn = Connection::connect(endpoint_for(server));
  ASSERT_TRUE(conn);
  auto r = (*conn)->command({"INCR", "no such", "extra"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "redis_error");
  EXPECT_FALSE((*conn)->broken()) << "an error reply does not break the connection";
}

TEST(RedisConnection, PipelineReturnsEveryReplyInOrder) {
  RedisServer server;
  auto conn = Connection::connect(endpoint_for(server));
  ASSERT_TRUE(conn);
  auto replies = (*conn)->pipeline({{"INCR", "n"}, {"INCR", "n"}, {"INCR", "n"}});
  ASSERT_TRUE(replies);
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ((*replies)[2]->integer, 3);
}

TEST(RedisConnection, PasswordIsRequiredAndNeverInTheMessage) {
  RedisServer server(RedisServer::Options{"correct-horse-battery"});
  auto good = Connection::connect(endpoint_for(server, Secret("correct-horse-battery")));
  ASSERT_TRUE(good) << good.error().message;
  auto bad = Connection::connect(endpoint_for(server, Secret("wrong-password-xyz")));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "redis_auth_failed");
  EXPECT_EQ(bad.error().message.find("wrong-password-xyz"), std::string::npos);
  auto none = Connection::connect(endpoint_for(server));
  ASSERT_FALSE(none);
}

TEST(RedisConnection, UnreachableServerIsUnavailable) {
  Endpoint e;
  e.port = seald::testing::free_loopback_port();
  auto conn = Connection::connect(e);
  ASSERT_FALSE(conn);
  EXPECT_EQ(conn.error().code, "redis_unavailable");
  EXPECT_NE(conn.error().message.find(std::to_string(e.port)), std::string::npos);
}

TEST(RedisPool, HealsAfterRedisRestart) {
  RedisServer server;
  Pool pool(endpoint_for(server), 2);
  ASSERT_TRUE(pool.ping());
  {
    auto lease = pool.acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE((*lease)->command({"SET", "durable", "yes"}));
  }
  server.stop();
  auto down = pool.ping();
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, "redis_unavailable");
  server.start();
  ASSERT_TRUE(pool.ping()) << "the pool must reconnect by itself";
  auto lease = pool.acquire();
  ASSERT_TRUE(lease);
  auto got = (*lease)->command({"GET", "durable"});
  ASSERT_TRUE(got);
  EXPECT_EQ(got->str(), "yes") << "AOF keeps the write across a restart";
}

TEST(RedisPool, OneFailureAfterARestartDropsEveryStaleConnection) {
  RedisServer server;
  Pool pool(endpoint_for(server), 4);
  {
    // Fill the pool with four idle connections.
    std::vector<Lease> leases;
    for (int i = 0; i < 4; ++i) {
      auto lease = pool.acquire();
      ASSERT_TRUE(lease);
      leases.push_back(std::move(*lease));
    }
  }
  server.stop();
  server.start();
  // The first call meets a dead connection; every later one must work.
  auto first = pool.ping();
  int failures = first ? 0 : 1;
  for (int i = 0; i < 4; ++i) {
    auto st = pool.ping();
    failures += st ? 0 : 1;
    EXPECT_TRUE(st) << "call " << i << " after the first: " << st.error().message;
  }
  EXPECT_LE(failures, 1);
}

TEST(RedisPool, BoundedLeasesWaitThenFail) {
  RedisServer server;
  Pool pool(endpoint_for(server), 1);
  auto first = pool.acquire();
  ASSERT_TRUE(first);
  auto second = pool.acquire();
  ASSERT_FALSE(second) << "a pool of one has nothing to lend while its connection is out";
}

}  // namespace
}  // namespace seald::redis
