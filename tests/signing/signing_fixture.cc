#include "tests/signing/signing_fixture.h"

#include <thread>

namespace seald::signing::testing {
namespace {

constexpr std::int64_t kYearMs = 365LL * 24 * 3600 * 1000;

}  // namespace

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

redis::Endpoint local(unsigned short port) {
  redis::Endpoint e;
  e.port = port;
  return e;
}

std::string seal_code(int n) {
  std::string seq = std::to_string(n);
  return "3301002026" + std::string(6 - seq.size(), '0') + seq;
}

bool eventually(const StateCache& cache, const std::function<bool(const Snapshot&)>& check,
                std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (!check(*cache.current())) {
    if (std::chrono::steady_clock::now() > until) {
      return false;
    }
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

SigningTest::SigningTest()
    : cache_pool_(local(server_.port()), 4),
      other_pool_(local(server_.port()), 4),
      apps_(other_pool_),
      grants_(other_pool_),
      seals_(other_pool_) {}

apps::App SigningTest::make_app(apps::AppKind kind) {
  static int n = 0;
  apps::NewApp app{"Portal " + std::to_string(++n), "Data Bureau", "Acme Software", kind};
  auto made = apps_.register_app(app, "user-1");
  EXPECT_TRUE(made) << (made ? "" : made.error().message);
  return made->app;
}

seals::Seal SigningTest::make_seal(const std::string& code, const std::string& usage,
                                   std::int64_t not_after_ms) {
  seals::Seal s;
  s.code = code;
  s.name = "Contract seal " + code;
  s.org_id = "org-1";
  s.type = "contract";
  s.usage = usage;
  s.validity = "1y";
  s.application_id = "application-" + code;
  s.applicant_id = "user-1";
  if (usage == "cloud") {
    s.key_id = code;
    s.key_algorithm = "ec-p256";
    s.certificate = seals::Certificate{"0a1b" + code, kCertificate};
  }
  s.not_before_ms = now_ms() - 1000;
  s.not_after_ms = not_after_ms != 0 ? not_after_ms : now_ms() + kYearMs;
  s.enabled_ms = s.not_before_ms;
  s.image = "svg";
  s.version = 1;
  auto made = seals_.create(s, "<svg/>");
  EXPECT_TRUE(made) << (made ? "" : made.error().message);
  return s;
}

void SigningTest::grant(const std::string& app_id, const std::vector<std::string>& codes) {
  auto done = grants_.grant(app_id, codes, "admin-1");
  ASSERT_TRUE(done) << done.error().message;
}

void SigningTest::set_status(const std::string& code, seals::SealStatus status) {
  auto seal = seals_.get(code);
  ASSERT_TRUE(seal);
  seals::SealChange change;
  change.seen_version = seal->version;
  change.status = status;
  change.at_ms = now_ms();
  change.actor_id = "operator-1";
  change.reason = "test";
  auto done = seals_.change_status(code, change);
  ASSERT_TRUE(done) << done.error().message;
}

void SigningTest::disable(const apps::App& app) {
  auto now = apps_.get(app.id);
  ASSERT_TRUE(now);
  ASSERT_TRUE(apps_.disable(app.id, now->version));
}

redis::Reply SigningTest::redis(const std::vector<std::string>& args) {
  auto lease = other_pool_.acquire().value();
  std::vector<std::string_view> views(args.begin(), args.end());
  auto reply = lease->command(views);
  EXPECT_TRUE(reply) << (reply ? "" : reply.error().message);
  return std::move(reply).value();
}

std::unique_ptr<StateCache> SigningTest::started_cache(std::chrono::milliseconds resync_interval) {
  auto cache = std::make_unique<StateCache>(cache_pool_, local(server_.port()),
                                            CacheOptions{resync_interval});
  auto started = cache->start();
  EXPECT_TRUE(started) << (started ? "" : started.error().message);
  // start() loads once; the listener loads again once subscribed.
  auto until = std::chrono::steady_clock::now() + 3s;
  while (cache->stats().subscriptions < 1 || cache->stats().resyncs < 2) {
    if (std::chrono::steady_clock::now() > until) {
      ADD_FAILURE() << "the change listener did not subscribe";
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  return cache;
}

}  // namespace seald::signing::testing
