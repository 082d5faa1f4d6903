#pragma once

// A real redis-server holding seal records in the format seals/ writes, a
// GrantStore on it, and a subscriber that hears seald:changes the way the
// signing caches will.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <boost/json.hpp>

#include "grants/grant_store.h"
#include "redis/pool.h"
#include "tests/support/redis_server.h"

namespace seald::grants::testing {

// Seals present in every test (see GrantStoreTest::GrantStoreTest).
inline const std::string kActive1 = "3301002026000001";
inline const std::string kActive2 = "3301002026000002";
inline const std::string kActive3 = "3301002026000003";
inline const std::string kSuspended = "3301002026000004";
inline const std::string kUkey = "3301002026000005";
inline const std::string kRevoked = "3301002026000006";
inline const std::string kExpired = "3301002026000007";  // status expired
inline const std::string kPastEnd = "3301002026000008";  // active, not_after_ms passed
inline const std::string kMissing = "3301002026000099";  // no record at all

inline const std::string kAppA = "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a";
inline const std::string kAppB = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";
inline const std::string kAppC = "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c";

std::int64_t now_ms();

class GrantStoreTest : public ::testing::Test {
 protected:
  GrantStoreTest();

  // A seal hash as seals/SealStore writes it (the fields grants read, and a
  // few more so the record looks real).
  void put_seal(const std::string& code, const std::string& usage, const std::string& status,
                std::int64_t not_after_ms);
  // Runs one command on the test's own connection, failing the test on error.
  redis::Reply redis(const std::vector<std::string>& args);
  // Every key, its type, its serialised value and whether it expires, sorted:
  // equal snapshots mean Redis was not written.
  std::string snapshot();

  seald::testing::RedisServer server_;
  redis::Pool pool_;
  GrantStore store_;
};

// A plain hiredis SUBSCRIBE on seald:changes.
class Subscriber {
 public:
  explicit Subscriber(unsigned short port);
  // The next message as JSON; null when none came within five seconds.
  boost::json::value next();
  // True when nothing arrives within 300 ms.
  bool quiet();

 private:
  struct ContextDeleter {
    void operator()(redisContext* c) const { redisFree(c); }
  };
  std::unique_ptr<redisContext, ContextDeleter> ctx_;
};

}  // namespace seald::grants::testing
