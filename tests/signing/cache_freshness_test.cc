// How changes made on another node reach this node's cache: by notice within
// a second, and — when notices are lost — by the resync after a reconnect
// and by the periodic resync.

#include <thread>

#include "signing/sign_decision.h"
#include "tests/signing/signing_fixture.h"

namespace seald::signing::testing {
namespace {

using seals::SealStatus;

bool granted(const Snapshot& s, const std::string& app, const std::string& code) {
  auto it = s.grants.find(app);
  return it != s.grants.end() && it->second.contains(code);
}

TEST_F(SigningTest, ChangesOnAnotherNodeArriveByNoticeWithinOneSecond) {
  apps::App app = make_app();
  std::string a = seal_code(1), b = seal_code(2);
  make_seal(a);
  make_seal(b);
  grant(app.id, {a, b});
  auto cache = started_cache();  // resyncs hourly: only notices can explain what follows
  auto loads = cache->stats().resyncs.load();

  disable(app);
  EXPECT_TRUE(eventually(*cache, [&](const Snapshot& s) {
    return s.apps.at(app.id).status == apps::AppStatus::disabled;
  }));
  ASSERT_TRUE(apps_.enable(app.id, 2));
  EXPECT_TRUE(eventually(
      *cache, [&](const Snapshot& s) { return decide(s, app.id, a, now_ms()).has_value(); }));

  set_status(a, SealStatus::suspended);
  EXPECT_TRUE(eventually(*cache, [&](const Snapshot& s) {
    auto r = decide(s, app.id, a, now_ms());
    return !r && r.error().code == "seal_suspended";
  }));

  // Making a seal sends no notice; the grant is the first the cache hears.
  std::string fresh = seal_code(3);
  make_seal(fresh);
  grant(app.id, {fresh});
  EXPECT_TRUE(eventually(
      *cache, [&](const Snapshot& s) { return decide(s, app.id, fresh, now_ms()).has_value(); }));

  ASSERT_TRUE(grants_.ungrant(app.id, {b}, "admin-1"));
  EXPECT_TRUE(eventually(*cache, [&](const Snapshot& s) { return !granted(s, app.id, b); }));

  ASSERT_TRUE(grants_.remove_seal(fresh));
  EXPECT_TRUE(eventually(*cache, [&](const Snapshot& s) { return !granted(s, app.id, fresh); }));

  // An app's own rate limit, set and cleared on the other node.
  ASSERT_TRUE(apps_.set_rate_limit(app.id, 3, apps::AppRateLimit{7, 9}));
  EXPECT_TRUE(eventually(*cache, [&](const Snapshot& s) {
    return s.apps.at(app.id).rate_limit == RateLimit{7, 9};
  }));
  ASSERT_TRUE(apps_.set_rate_limit(app.id, 4, std::nullopt));
  EXPECT_TRUE(eventually(*cache, [&](const Snapshot& s) { return !s.apps.at(app.id).rate_limit; }));

  apps::App newcomer = make_app();
  EXPECT_TRUE(eventually(
      *cache, [&](const Snapshot& s) { return s.app_by_client_id.contains(newcomer.client_id); }));

  EXPECT_EQ(cache->stats().resyncs.load(), loads);
  EXPECT_EQ(cache->stats().notice_failures.load(), 0u);
}

TEST_F(SigningTest, OtherComponentsNoticesAndJunkLeaveTheCacheAlone) {
  apps::App app = make_app();
  make_seal(seal_code(1));
  grant(app.id, {seal_code(1)});
  auto cache = started_cache();
  redis({"PUBLISH", "seald:changes", R"({"type":"org","id":"org-1"})"});
  redis({"PUBLISH", "seald:changes", "not json at all"});
  redis({"PUBLISH", "seald:changes", R"({"type":"seal"})"});
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(cache->stats().notice_failures.load(), 2u);
  EXPECT_TRUE(decide(*cache->current(), app.id, seal_code(1), now_ms()));
  // The listener is still there for the next real change.
  set_status(seal_code(1), SealStatus::revoked);
  EXPECT_TRUE(eventually(*cache, [&](const Snapshot& s) {
    return s.seals.at(seal_code(1)).status == SealStatus::revoked;
  }));
}

TEST_F(SigningTest, ALostSubscriptionIsRestoredAndWhatWasMissedIsReloaded) {
  apps::App app = make_app();
  std::string code = seal_code(1);
  make_seal(code);
  grant(app.id, {code});
  auto cache = started_cache();  // no periodic resync within the test

  // A change the cache cannot hear of: no notice at all.
  redis({"HSET", "seald:seals:seal:" + code, "status", "suspended"});
  std::this_thread::sleep_for(300ms);
  ASSERT_EQ(cache->current()->seals.at(code).status, SealStatus::active);

  server_.cli({"CLIENT", "KILL", "TYPE", "pubsub"});
  EXPECT_TRUE(eventually(
      *cache, [&](const Snapshot& s) { return s.seals.at(code).status == SealStatus::suspended; },
      3s));
  EXPECT_GE(cache->stats().subscriptions.load(), 2u);

  // And the new subscription hears notices again.
  disable(app);
  EXPECT_TRUE(eventually(*cache, [&](const Snapshot& s) {
    return s.apps.at(app.id).status == apps::AppStatus::disabled;
  }));
}

TEST_F(SigningTest, ARedisRestartIsSurvived) {
  apps::App app = make_app();
  make_seal(seal_code(1));
  grant(app.id, {seal_code(1)});
  auto cache = started_cache();
  server_.stop();
  std::this_thread::sleep_for(300ms);
  // The last known state stays in force while Redis is away.
  EXPECT_TRUE(decide(*cache->current(), app.id, seal_code(1), now_ms()));
  server_.start();
  // Wait for the listener to be back before changing anything.
  auto until = std::chrono::steady_clock::now() + 10s;
  while (cache->stats().subscriptions < 2 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_GE(cache->stats().subscriptions.load(), 2u);
  // The other node's pool drops its dead connection on first use.
  while (!other_pool_.ping() && std::chrono::steady_clock::now() < until) {
  }
  set_status(seal_code(1), SealStatus::revoked);
  EXPECT_TRUE(eventually(*cache, [&](const Snapshot& s) {
    return s.seals.at(seal_code(1)).status == SealStatus::revoked;
  }));
}

TEST_F(SigningTest, ThePeriodicResyncCatchesWhatNoNoticeSaid) {
  apps::App app = make_app();
  auto cache = started_cache(200ms);
  redis({"HSET", "seald:apps:app:" + app.id, "status", "disabled"});
  EXPECT_TRUE(eventually(*cache, [&](const Snapshot& s) {
    return s.apps.at(app.id).status == apps::AppStatus::disabled;
  }));
  EXPECT_LT(cache->resync_age(), 1s);
}

}  // namespace
}  // namespace seald::signing::testing
