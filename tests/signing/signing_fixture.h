#pragma once

// A real redis-server, the stores another seald node would write through
// (on their own pool), and helpers to start a StateCache for this node and
// watch it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "apps/app_store.h"
#include "grants/grant_store.h"
#include "redis/pool.h"
#include "seals/seal_store.h"
#include "signing/state_cache.h"
#include "tests/support/redis_server.h"

namespace seald::signing::testing {

using namespace std::chrono_literals;

std::int64_t now_ms();
redis::Endpoint local(unsigned short port);
// "33010020260000nn"
std::string seal_code(int n);
inline const std::vector<std::uint8_t> kCertificate{0x30, 0x82, 0x01, 0x0a, 0x02, 0x01};

// Polls the cache until check holds for its current snapshot.
bool eventually(const StateCache& cache, const std::function<bool(const Snapshot&)>& check,
                std::chrono::milliseconds timeout = 1000ms);

class SigningTest : public ::testing::Test {
 protected:
  SigningTest();

  apps::App make_app(apps::AppKind kind = apps::AppKind::cloud);
  // A seal record as seals/ writes it, valid for a year unless told.
  seals::Seal make_seal(const std::string& code, const std::string& usage = "cloud",
                        std::int64_t not_after_ms = 0);
  void grant(const std::string& app_id, const std::vector<std::string>& codes);
  void set_status(const std::string& code, seals::SealStatus status);
  void disable(const apps::App& app);
  // A command on the other node's connection.
  redis::Reply redis(const std::vector<std::string>& args);

  // A started cache whose listener is subscribed and has done its first
  // load, so later changes can only reach it by notice or resync.
  std::unique_ptr<StateCache> started_cache(std::chrono::milliseconds resync_interval = 1h);

  seald::testing::RedisServer server_;
  redis::Pool cache_pool_;  // this node's
  redis::Pool other_pool_;  // another node's
  apps::AppStore apps_;
  grants::GrantStore grants_;
  seals::SealStore seals_;
};

}  // namespace seald::signing::testing
