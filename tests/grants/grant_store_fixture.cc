#include "tests/grants/grant_store_fixture.h"

#include <algorithm>
#include <chrono>

namespace seald::grants::testing {
namespace {

constexpr std::int64_t kYearMs = 365LL * 24 * 3600 * 1000;

redis::Endpoint local(unsigned short port) {
  redis::Endpoint e;
  e.port = port;
  return e;
}

struct ReplyFree {
  void operator()(void* r) const { freeReplyObject(r); }
};

}  // namespace

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

GrantStoreTest::GrantStoreTest() : pool_(local(server_.port()), 4), store_(pool_) {
  const std::int64_t now = now_ms();
  put_seal(kActive1, "cloud", "active", now + kYearMs);
  put_seal(kActive2, "cloud", "active", now + kYearMs);
  put_seal(kActive3, "cloud", "active", now + 2 * kYearMs);
  put_seal(kSuspended, "cloud", "suspended", now + kYearMs);
  put_seal(kUkey, "ukey", "active", now + kYearMs);
  put_seal(kRevoked, "cloud", "revoked", now + kYearMs);
  put_seal(kExpired, "cloud", "expired", now - 1000);
  // Still marked active: the expiry sweep has not reached it yet.
  put_seal(kPastEnd, "cloud", "active", now - 60 * 1000);
}

void GrantStoreTest::put_seal(const std::string& code, const std::string& usage,
                              const std::string& status, std::int64_t not_after_ms) {
  redis({"HSET",          "seald:seals:seal:" + code,
         "code",          code,
         "name",          "Seal " + code,
         "org_id",        "org-1",
         "type",          "contract",
         "usage",         usage,
         "validity",      "1y",
         "status",        status,
         "not_before_ms", std::to_string(not_after_ms - kYearMs),
         "not_after_ms",  std::to_string(not_after_ms),
         "version",       "1"});
}

redis::Reply GrantStoreTest::redis(const std::vector<std::string>& args) {
  auto lease = pool_.acquire().value();
  std::vector<std::string_view> views(args.begin(), args.end());
  auto reply = lease->command(views);
  EXPECT_TRUE(reply) << (reply ? "" : reply.error().message);
  return std::move(reply).value();
}

std::string GrantStoreTest::snapshot() {
  auto keys = redis({"KEYS", "*"});
  std::vector<std::string> names;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    names.emplace_back(keys.element(i)->str, keys.element(i)->len);
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& key : names) {
    // DUMP is the exact serialised value; an untouched key dumps the same.
    out += key + " " + std::string(redis({"TYPE", key}).str()) + " " +
           std::string(redis({"DUMP", key}).str()) + " " +
           (redis({"PTTL", key}).integer() > 0 ? "expires" : "stays") + "\n";
  }
  return out;
}

Subscriber::Subscriber(unsigned short port) : ctx_(redisConnect("127.0.0.1", port)) {
  EXPECT_TRUE(ctx_ && ctx_->err == 0);
  timeval wait{5, 0};
  redisSetTimeout(ctx_.get(), wait);
  std::unique_ptr<void, ReplyFree> ack(redisCommand(ctx_.get(), "SUBSCRIBE seald:changes"));
  EXPECT_TRUE(ack);
}

boost::json::value Subscriber::next() {
  void* raw = nullptr;
  if (redisGetReply(ctx_.get(), &raw) != REDIS_OK) {
    return nullptr;
  }
  std::unique_ptr<void, ReplyFree> owned(raw);
  auto* r = static_cast<redisReply*>(raw);
  if (r->type != REDIS_REPLY_ARRAY || r->elements != 3) {
    return nullptr;
  }
  EXPECT_EQ(std::string(r->element[1]->str, r->element[1]->len), "seald:changes");
  return boost::json::parse(std::string_view(r->element[2]->str, r->element[2]->len));
}

bool Subscriber::quiet() {
  timeval shortly{0, 300000};
  redisSetTimeout(ctx_.get(), shortly);
  void* raw = nullptr;
  bool nothing = redisGetReply(ctx_.get(), &raw) != REDIS_OK;
  if (raw != nullptr) {
    freeReplyObject(raw);
  }
  return nothing;
}

}  // namespace seald::grants::testing
