#pragma once

// A real redis-server with an AppStore on it, and ways to look at everything
// Redis holds: the live data and the files on disk (AOF, RDB, log).

#include <string>

#include <gtest/gtest.h>

#include "apps/app_store.h"
#include "redis/pool.h"
#include "tests/support/redis_server.h"

namespace seald::apps::testing {

class AppStoreTest : public ::testing::Test {
 protected:
  AppStoreTest();

  // Every key with its type and full value, sorted by key: two equal
  // snapshots mean nothing changed.
  std::string snapshot();
  // Every byte of every file in the server's data folder, and its log.
  std::string files_on_disk();

  NewApp sample(const std::string& name = "Permit Office Portal");
  Credentials registered(const NewApp& app);

  seald::testing::RedisServer server_;
  redis::Pool pool_;
  AppStore store_;
};

}  // namespace seald::apps::testing
