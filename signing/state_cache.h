#pragma once

// The signing path's view of apps, seals and grants, held in process so a
// sign request makes no Redis round trip for them. Filled at start, kept
// fresh by the notices on seald:changes (each one re-reads just what it
// names), and fully reloaded every resync_interval and after every
// re-subscription, because pub/sub drops whatever was published while a
// listener was away.
//
// Readers get an immutable Snapshot; a change builds a new one (copy on
// write: changes are rare, reads are many) and publishes it.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "apps/app.h"
#include "core/error.h"
#include "redis/pool.h"
#include "seals/seal.h"
#include "signing/change_listener.h"
#include "signing/rate_limiter.h"

namespace seald::signing {

// Lets the maps be searched by string_view without building a std::string
// on the hot path.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

struct SealState {
  std::string code, usage, key_id, key_algorithm, certificate_serial;
  std::vector<std::uint8_t> certificate_der;
  seals::SealStatus status = seals::SealStatus::active;
  std::int64_t not_after_ms = 0;
  std::int64_t version = 0;
};

struct AppState {
  std::string id, client_id, name;
  apps::AppKind kind = apps::AppKind::cloud;
  apps::AppStatus status = apps::AppStatus::enabled;
  // The app's own signing rate limit; unset: [signing]'s default.
  std::optional<RateLimit> rate_limit;
};

struct Snapshot {                           // immutable once published
  StringMap<SealState> seals;               // by code
  StringMap<AppState> apps;                 // by app id
  StringMap<std::string> app_by_client_id;  // client_id -> app id
  StringMap<StringSet> grants;              // app id -> seal codes
  // Of the last successful full load; the epoch when there was none yet.
  std::chrono::steady_clock::time_point resynced_at;
};

struct CacheOptions {
  std::chrono::milliseconds resync_interval{30000};
};

// Counted in place, read by metrics and tests. A degraded path (a failed
// load, a lost subscription) both logs and counts.
struct CacheStats {
  std::atomic<std::uint64_t> resyncs{0};  // successful full loads
  std::atomic<std::uint64_t> resync_failures{0};
  std::atomic<std::uint64_t> notices{0};          // notices applied
  std::atomic<std::uint64_t> notice_failures{0};  // unreadable, or the re-read failed
  std::atomic<std::uint64_t> subscriptions{0};    // first subscribe and every reconnect
};

class StateCache {
 public:
  StateCache(redis::Pool& pool, redis::Endpoint subscriber_endpoint, CacheOptions options = {});
  ~StateCache();  // stops the threads
  StateCache(const StateCache&) = delete;
  StateCache& operator=(const StateCache&) = delete;

  // Loads everything, then starts the listener and the resync thread. When
  // the load fails (Redis down) the threads start anyway, the snapshot stays
  // empty (every request is refused, nothing is signed) and the cache fills
  // itself as soon as Redis answers; the load's error is returned so the
  // node can log it and report not-ready (resync_age() stays huge until the
  // first load succeeds). A second call does nothing.
  Status start();

  // The current snapshot. In steady state a thread reads only its own
  // thread_local copy and one atomic generation; it takes the publish mutex
  // only when the generation moved.
  std::shared_ptr<const Snapshot> current() const;

  // Synchronous refreshes, for the node that served a change right after it
  // committed: its own requests must be refused at once (the others hear the
  // notice). A record that no longer exists leaves the cache.
  Status reload_seal(std::string_view code);
  Status reload_app(std::string_view app_id);
  Status reload_grants(std::string_view app_id);
  Status reload_all();

  // Time since the last successful full load.
  std::chrono::milliseconds resync_age() const;
  const CacheStats& stats() const { return stats_; }

 private:
  // Runs change on a copy of the latest snapshot and publishes the copy if
  // change succeeds. Writers are serialised, Redis reads included, so a
  // full load can never publish over a newer incremental change.
  Status update(const std::function<Status(Snapshot&)>& change);
  void publish(std::shared_ptr<const Snapshot> next);
  std::shared_ptr<const Snapshot> latest() const;

  void on_notice(std::string_view payload);
  void on_subscribed();
  void request_resync();
  void resync_loop();

  redis::Pool& pool_;
  CacheOptions options_;
  const std::uint64_t id_;  // tells this cache's thread_local copies from another's

  mutable std::mutex publish_mu_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::atomic<std::uint64_t> generation_{1};

  std::mutex update_mu_;

  std::mutex resync_mu_;
  std::condition_variable resync_cv_;
  bool stopping_ = false;
  bool resync_requested_ = false;
  bool started_ = false;
  std::thread resync_thread_;

  CacheStats stats_;
  ChangeListener listener_;  // last: its thread calls into the members above
};

}  // namespace seald::signing
