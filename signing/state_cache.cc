#include "signing/state_cache.h"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "apps/app_store.h"
#include "grants/grant_store.h"
#include "seals/seal_record.h"
#include "seals/seal_store.h"

namespace seald::signing {
namespace {

// Records are read in slices so a large registry never makes one huge reply.
constexpr std::size_t kBatch = 256;
// After a failed load, retry sooner than the regular interval.
constexpr std::chrono::milliseconds kRetryAfterFailure{1000};

std::uint64_t next_cache_id() {
  static std::atomic<std::uint64_t> last{0};
  return ++last;
}

AppState app_state(const apps::App& a) {
  AppState out{a.id, a.client_id, a.name, a.kind, a.status, std::nullopt};
  if (a.rate_limit) {
    out.rate_limit = RateLimit{a.rate_limit->rate_per_s, a.rate_limit->burst};
  }
  return out;
}

SealState seal_state(const seals::Seal& s) {
  SealState out{s.code, s.usage,  s.key_id,       s.key_algorithm, {},
                {},     s.status, s.not_after_ms, s.version};
  if (s.certificate) {
    out.certificate_serial = s.certificate->serial_hex;
    out.certificate_der = s.certificate->der;
  }
  return out;
}

template <class Map>
void erase_key(Map& map, std::string_view key) {
  if (auto it = map.find(key); it != map.end()) {
    map.erase(it);
  }
}

void put_app(Snapshot& snap, AppState app) {
  snap.app_by_client_id[app.client_id] = app.id;
  std::string id = app.id;
  snap.apps[id] = std::move(app);
}

void drop_app(Snapshot& snap, std::string_view app_id) {
  if (auto it = snap.apps.find(app_id); it != snap.apps.end()) {
    erase_key(snap.app_by_client_id, it->second.client_id);
    snap.apps.erase(it);
  }
  erase_key(snap.grants, app_id);
}

Result<std::vector<apps::App>> load_apps(redis::Pool& pool) {
  apps::AppStore store(pool);
  std::vector<apps::App> out;
  // New apps are appended to the registration order, so offsets stay valid
  // while we page.
  for (std::size_t offset = 0;;) {
    auto page = store.search("", apps::SearchField::any, offset, kBatch);
    if (!page) {
      return page.error();
    }
    offset += page->items.size();
    for (auto& app : page->items) {
      out.push_back(std::move(app));
    }
    if (page->items.empty() || offset >= page->total) {
      return out;
    }
  }
}

Status load_seals(redis::Pool& pool, Snapshot& snap) {
  auto lease = pool.acquire();
  if (!lease) {
    return lease.error();
  }
  auto all = (*lease)->command({"ZRANGE", seals::kAllSeals, "0", "-1"});
  if (!all) {
    return all.error();
  }
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < all->size(); ++i) {
    const redisReply* e = all->element(i);
    keys.push_back(seals::seal_key(std::string_view(e->str, e->len)));
  }
  for (std::size_t at = 0; at < keys.size(); at += kBatch) {
    std::vector<std::vector<std::string_view>> cmds;
    for (std::size_t i = at; i < std::min(keys.size(), at + kBatch); ++i) {
      cmds.push_back({"HGETALL", keys[i]});
    }
    auto replies = (*lease)->pipeline(cmds);
    if (!replies) {
      return replies.error();
    }
    for (const auto& r : *replies) {
      if (r->type == REDIS_REPLY_ERROR) {
        return make_error("redis_error", std::string(r->str, r->len));
      }
      if (r->type == REDIS_REPLY_ARRAY && r->elements > 0) {
        SealState s = seal_state(seals::parse_seal_record(r.get()));
        std::string code = s.code;
        snap.seals[code] = std::move(s);
      }
    }
  }
  return {};
}

// Re-reads one seal; a seal that is gone leaves the snapshot.
Status refresh_seal(redis::Pool& pool, Snapshot& snap, std::string_view code) {
  auto seal = seals::SealStore(pool).get(code);
  if (!seal) {
    if (seal.error().code != "seal_not_found") {
      return seal.error();
    }
    erase_key(snap.seals, code);
    return {};
  }
  snap.seals[std::string(code)] = seal_state(*seal);
  return {};
}

Status refresh_grants(redis::Pool& pool, Snapshot& snap, std::string_view app_id) {
  auto codes = grants::GrantStore(pool).seals_of_app(app_id);
  if (!codes) {
    return codes.error();
  }
  for (const auto& code : *codes) {
    // Making a seal publishes no notice, so a grant can be the first we
    // hear of a new seal.
    if (!snap.seals.contains(code)) {
      if (auto s = refresh_seal(pool, snap, code); !s) {
        return s;
      }
    }
  }
  if (codes->empty()) {
    erase_key(snap.grants, app_id);
  } else {
    snap.grants[std::string(app_id)] = StringSet(codes->begin(), codes->end());
  }
  return {};
}

}  // namespace

StateCache::StateCache(redis::Pool& pool, redis::Endpoint subscriber_endpoint, CacheOptions options)
    : pool_(pool),
      options_(options),
      id_(next_cache_id()),
      snapshot_(std::make_shared<const Snapshot>()),
      listener_(std::move(subscriber_endpoint),
                ChangeListener::Handlers{[this](std::string_view p) { on_notice(p); },
                                         [this] { on_subscribed(); }}) {}

StateCache::~StateCache() {
  listener_.stop();
  {
    std::lock_guard lock(resync_mu_);
    stopping_ = true;
  }
  resync_cv_.notify_all();
  if (resync_thread_.joinable()) {
    resync_thread_.join();
  }
}

Status StateCache::start() {
  {
    std::lock_guard lock(resync_mu_);
    if (started_) {
      return {};
    }
    started_ = true;
  }
  Status loaded = reload_all();
  listener_.start();
  resync_thread_ = std::thread([this] { resync_loop(); });
  return loaded;
}

std::shared_ptr<const Snapshot> StateCache::current() const {
  struct LocalCopy {
    std::uint64_t cache_id = 0;
    std::uint64_t generation = 0;
    std::shared_ptr<const Snapshot> snapshot;
  };
  static thread_local LocalCopy local;
  std::uint64_t generation = generation_.load(std::memory_order_acquire);
  if (local.cache_id == id_ && local.generation == generation) {
    return local.snapshot;
  }
  std::lock_guard lock(publish_mu_);
  local.cache_id = id_;
  local.snapshot = snapshot_;
  // Read under the mutex, so it is the generation of exactly this snapshot.
  local.generation = generation_.load(std::memory_order_relaxed);
  return local.snapshot;
}

std::shared_ptr<const Snapshot> StateCache::latest() const {
  std::lock_guard lock(publish_mu_);
  return snapshot_;
}

void StateCache::publish(std::shared_ptr<const Snapshot> next) {
  std::lock_guard lock(publish_mu_);
  snapshot_ = std::move(next);
  generation_.fetch_add(1, std::memory_order_release);
}

Status StateCache::update(const std::function<Status(Snapshot&)>& change) {
  std::lock_guard writer(update_mu_);
  auto next = std::make_shared<Snapshot>(*latest());
  if (Status s = change(*next); !s) {
    return s;
  }
  publish(std::move(next));
  return {};
}

Status StateCache::reload_seal(std::string_view code) {
  return update([&](Snapshot& next) { return refresh_seal(pool_, next, code); });
}

Status StateCache::reload_app(std::string_view app_id) {
  return update([&](Snapshot& next) -> Status {
    auto app = apps::AppStore(pool_).get(app_id);
    if (!app) {
      if (app.error().code != "app_not_found") {
        return app.error();
      }
      drop_app(next, app_id);
      return {};
    }
    put_app(next, app_state(*app));
    return {};
  });
}

Status StateCache::reload_grants(std::string_view app_id) {
  return update([&](Snapshot& next) { return refresh_grants(pool_, next, app_id); });
}

Status StateCache::reload_all() {
  std::lock_guard writer(update_mu_);
  auto fresh = std::make_shared<Snapshot>();
  Status loaded = [&]() -> Status {
    auto apps = load_apps(pool_);
    if (!apps) {
      return apps.error();
    }
    for (const auto& app : *apps) {
      put_app(*fresh, app_state(app));
    }
    if (Status s = load_seals(pool_, *fresh); !s) {
      return s;
    }
    grants::GrantStore grant_store(pool_);
    for (const auto& app : *apps) {
      auto codes = grant_store.seals_of_app(app.id);
      if (!codes) {
        return codes.error();
      }
      if (!codes->empty()) {
        fresh->grants[app.id] = StringSet(codes->begin(), codes->end());
      }
    }
    return {};
  }();
  if (!loaded) {
    stats_.resync_failures.fetch_add(1, std::memory_order_relaxed);
    spdlog::warn("signing cache: full load failed: {} ({})", loaded.error().message,
                 loaded.error().code);
    return loaded;
  }
  fresh->resynced_at = std::chrono::steady_clock::now();
  publish(std::move(fresh));
  stats_.resyncs.fetch_add(1, std::memory_order_relaxed);
  return {};
}

std::chrono::milliseconds StateCache::resync_age() const {
  auto at = current()->resynced_at;
  if (at == std::chrono::steady_clock::time_point{}) {
    return std::chrono::milliseconds::max();
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               at);
}

void StateCache::on_subscribed() {
  stats_.subscriptions.fetch_add(1, std::memory_order_relaxed);
  // Whatever was published while we were not subscribed is lost.
  if (!reload_all()) {
    request_resync();
  }
}

void StateCache::on_notice(std::string_view payload) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(payload, ec);
  const boost::json::object* notice = ec ? nullptr : parsed.if_object();
  auto text = [&](std::string_view key) -> std::string_view {
    const boost::json::value* v = notice->if_contains(key);
    const boost::json::string* s = v != nullptr ? v->if_string() : nullptr;
    return s != nullptr ? std::string_view(*s) : std::string_view();
  };
  Status applied = make_error("notice_invalid", "unreadable notice on seald:changes");
  std::string_view type = notice != nullptr ? text("type") : std::string_view();
  if (type == "app" && !text("id").empty()) {
    applied = reload_app(text("id"));
  } else if (type == "seal" && !text("code").empty()) {
    std::string_view code = text("code");
    std::int64_t version = -1;
    if (const boost::json::value* v = notice->if_contains("version")) {
      boost::system::error_code number_ec;
      auto n = v->to_number<std::int64_t>(number_ec);
      version = number_ec ? -1 : n;
    }
    auto known = latest();
    auto it = known->seals.find(code);
    // A resync may already have read this very change.
    bool seen = it != known->seals.end() && version >= 0 && it->second.version >= version;
    applied = seen ? Status{} : reload_seal(code);
  } else if (type == "grants" && text("op") == "remove_seal") {
    const boost::json::value* list = notice->if_contains("apps");
    const boost::json::array* apps = list != nullptr ? list->if_array() : nullptr;
    if (apps != nullptr) {
      applied = update([&](Snapshot& next) -> Status {
        for (const auto& app : *apps) {
          if (const auto* id = app.if_string(); id != nullptr) {
            if (Status s = refresh_grants(pool_, next, *id); !s) {
              return s;
            }
          }
        }
        return {};
      });
    }
  } else if (type == "grants" && !text("app_id").empty()) {
    applied = reload_grants(text("app_id"));
  } else if (notice != nullptr && type != "app" && type != "seal" && type != "grants") {
    return;  // another component's notice: not about signing state
  }
  if (applied) {
    stats_.notices.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  stats_.notice_failures.fetch_add(1, std::memory_order_relaxed);
  spdlog::warn("signing cache: could not apply a notice: {} ({}); resyncing",
               applied.error().message, applied.error().code);
  request_resync();
}

void StateCache::request_resync() {
  {
    std::lock_guard lock(resync_mu_);
    resync_requested_ = true;
  }
  resync_cv_.notify_all();
}

void StateCache::resync_loop() {
  std::unique_lock lock(resync_mu_);
  auto wait = options_.resync_interval;
  while (!stopping_) {
    resync_cv_.wait_for(lock, wait, [this] { return stopping_ || resync_requested_; });
    if (stopping_) {
      return;
    }
    resync_requested_ = false;
    lock.unlock();
    Status done = reload_all();
    lock.lock();
    wait = done ? options_.resync_interval : std::min(options_.resync_interval, kRetryAfterFailure);
  }
}

}  // namespace seald::signing
