// Loading the cache from what the real stores wrote, the synchronous
// reloads, and readers on many threads while it changes.

#include <atomic>
#include <thread>

#include "signing/sign_decision.h"
#include "tests/signing/signing_fixture.h"

namespace seald::signing::testing {
namespace {

using seals::SealStatus;

std::string outcome(const StateCache& cache, const std::string& app, const std::string& code,
                    std::int64_t now = now_ms()) {
  auto r = decide(*cache.current(), app, code, now);
  return r ? "signs" : r.error().code;
}

TEST_F(SigningTest, StartLoadsAppsSealsAndGrantsAndEveryRefusalFollows) {
  apps::App cloud = make_app();
  apps::App ukey = make_app(apps::AppKind::ukey);
  apps::App off = make_app();
  std::string good = seal_code(1), lost = seal_code(2), gone = seal_code(3), held = seal_code(4),
              spare = seal_code(5);
  seals::Seal made = make_seal(good);
  make_seal(lost);
  make_seal(gone);
  make_seal(held, "ukey");
  make_seal(spare);
  grant(cloud.id, {good, lost, gone});
  grant(off.id, {good});
  set_status(lost, SealStatus::suspended);
  set_status(gone, SealStatus::revoked);
  disable(off);
  ASSERT_TRUE(apps_.set_rate_limit(ukey.id, 1, apps::AppRateLimit{3, 4}));

  StateCache cache(cache_pool_, local(server_.port()));
  ASSERT_TRUE(cache.start());
  auto snap = cache.current();
  EXPECT_EQ(snap->apps.size(), 3u);
  EXPECT_EQ(snap->app_by_client_id.at(cloud.client_id), cloud.id);
  EXPECT_EQ(snap->apps.at(ukey.id).kind, apps::AppKind::ukey);
  EXPECT_EQ(snap->apps.at(ukey.id).rate_limit, (RateLimit{3, 4}));
  EXPECT_FALSE(snap->apps.at(cloud.id).rate_limit);
  EXPECT_EQ(snap->seals.size(), 5u);
  const SealState& s = snap->seals.at(good);
  EXPECT_EQ(s.certificate_der, kCertificate);
  EXPECT_EQ(s.certificate_serial, "0a1b" + good);
  EXPECT_EQ(s.key_id, good);
  EXPECT_EQ(s.key_algorithm, "ec-p256");
  EXPECT_EQ(s.not_after_ms, made.not_after_ms);
  EXPECT_EQ(snap->grants.at(cloud.id), (StringSet{good, lost, gone}));
  EXPECT_FALSE(snap->grants.contains(ukey.id));
  EXPECT_LT(cache.resync_age(), 5s);

  EXPECT_EQ(outcome(cache, cloud.id, good), "signs");
  EXPECT_EQ(outcome(cache, "0123456789abcdef0123456789abcdef", good), "token_invalid");
  EXPECT_EQ(outcome(cache, off.id, good), "app_disabled");
  EXPECT_EQ(outcome(cache, cloud.id, seal_code(99)), "seal_not_found");
  EXPECT_EQ(outcome(cache, cloud.id, spare), "seal_not_granted");
  EXPECT_EQ(outcome(cache, ukey.id, held), "seal_not_cloud");
  EXPECT_EQ(outcome(cache, ukey.id, good), "seal_not_granted");
  EXPECT_EQ(outcome(cache, cloud.id, gone), "seal_revoked");
  EXPECT_EQ(outcome(cache, cloud.id, lost), "seal_suspended");
  EXPECT_EQ(outcome(cache, cloud.id, good, made.not_after_ms + 1), "seal_expired");
}

TEST_F(SigningTest, StartsEmptyWhileRedisIsDownAndFillsItselfLater) {
  apps::App app = make_app();
  make_seal(seal_code(1));
  grant(app.id, {seal_code(1)});
  server_.stop();

  StateCache cache(cache_pool_, local(server_.port()), CacheOptions{200ms});
  auto started = cache.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, "redis_unavailable");
  EXPECT_TRUE(cache.current()->apps.empty());
  EXPECT_EQ(outcome(cache, app.id, seal_code(1)), "token_invalid");
  EXPECT_EQ(cache.resync_age(), std::chrono::milliseconds::max());

  server_.start();
  EXPECT_TRUE(eventually(
      cache,
      [&](const Snapshot& s) { return decide(s, app.id, seal_code(1), now_ms()).has_value(); },
      5s));
  EXPECT_LT(cache.resync_age(), 5s);
}

// Written straight into Redis, as no store would: no notice goes out, so
// only a reload can make the cache see it.
TEST_F(SigningTest, ReloadsMakeAChangeVisibleAtOnce) {
  apps::App app = make_app();
  std::string code = seal_code(1), other = seal_code(2);
  make_seal(code);
  make_seal(other);
  grant(app.id, {code});
  auto cache = started_cache();

  redis({"HSET", "seald:seals:seal:" + code, "status", "revoked"});
  redis({"HINCRBY", "seald:seals:seal:" + code, "version", "1"});
  redis({"HSET", "seald:apps:app:" + app.id, "status", "disabled"});
  redis({"SADD", "seald:grants:app:" + app.id, other});
  std::this_thread::sleep_for(300ms);
  auto before = cache->current();
  EXPECT_EQ(before->seals.at(code).status, SealStatus::active);
  EXPECT_EQ(before->apps.at(app.id).status, apps::AppStatus::enabled);
  EXPECT_FALSE(before->grants.at(app.id).contains(other));

  ASSERT_TRUE(cache->reload_seal(code));
  EXPECT_EQ(cache->current()->seals.at(code).status, SealStatus::revoked);
  EXPECT_EQ(cache->current()->seals.at(code).version, 2);
  ASSERT_TRUE(cache->reload_app(app.id));
  EXPECT_EQ(outcome(*cache, app.id, other), "app_disabled");
  ASSERT_TRUE(cache->reload_grants(app.id));
  EXPECT_TRUE(cache->current()->grants.at(app.id).contains(other));
  // The snapshot a request already holds does not change under it.
  EXPECT_EQ(before->seals.at(code).status, SealStatus::active);

  redis({"HSET", "seald:apps:app:" + app.id, "status", "enabled"});
  ASSERT_TRUE(cache->reload_all());
  EXPECT_EQ(outcome(*cache, app.id, other), "signs");

  // A record that is gone leaves the cache.
  redis({"DEL", "seald:seals:seal:" + other});
  ASSERT_TRUE(cache->reload_seal(other));
  EXPECT_EQ(outcome(*cache, app.id, other), "seal_not_found");
}

TEST_F(SigningTest, ReadersOnManyThreadsAlwaysSeeWholeSnapshots) {
  apps::App app = make_app();
  std::string code = seal_code(1), extra = seal_code(2);
  make_seal(code);
  make_seal(extra);
  grant(app.id, {code});
  auto cache = started_cache();

  std::atomic<bool> done{false};
  std::atomic<long> reads{0}, broken{0}, versions_seen{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 8; ++t) {
    readers.emplace_back([&] {
      std::int64_t last = 0;
      while (!done) {
        auto snap = cache->current();
        const SealState& s = snap->seals.at(code);
        // Every change flips the status, starting from active at version 1.
        bool active = s.status == SealStatus::active;
        auto verdict = decide(*snap, app.id, code, now_ms());
        if (active != (s.version % 2 == 1) || verdict.has_value() != active || s.version < last) {
          ++broken;
        }
        for (const auto& granted : snap->grants.at(app.id)) {
          if (!snap->seals.contains(granted)) {
            ++broken;
          }
        }
        if (s.version != last) {
          ++versions_seen;
        }
        last = s.version;
        std::this_thread::yield();
        if (snap->seals.at(code).version != last) {
          ++broken;  // a published snapshot changed under its reader
        }
        ++reads;
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    set_status(code, i % 2 == 0 ? SealStatus::suspended : SealStatus::active);
    if (i % 4 == 0) {
      grant(app.id, {extra});
    } else if (i % 4 == 2) {
      ASSERT_TRUE(grants_.ungrant(app.id, {extra}, "admin-1"));
    }
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(
      eventually(*cache, [](const Snapshot& s) { return s.seals.at(seal_code(1)).version == 21; }));
  std::this_thread::sleep_for(50ms);
  done = true;
  for (auto& t : readers) {
    t.join();
  }
  EXPECT_EQ(broken, 0);
  EXPECT_GT(reads, 1000);
  // Each thread saw its first version and at least some of the changes.
  EXPECT_GT(versions_seen, 8 * 2);
}

}  // namespace
}  // namespace seald::signing::testing
