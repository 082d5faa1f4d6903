// The change notices on seald:changes, heard by a plain hiredis subscriber as
// the signing caches will hear them.

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <boost/json.hpp>

#include "tests/apps/app_store_fixture.h"

namespace seald::apps::testing {
namespace {

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyDeleter {
  void operator()(void* r) const { freeReplyObject(r); }
};

class Subscriber {
 public:
  explicit Subscriber(unsigned short port) : ctx_(redisConnect("127.0.0.1", port)) {
    EXPECT_TRUE(ctx_ && ctx_->err == 0);
    timeval timeout{5, 0};
    redisSetTimeout(ctx_.get(), timeout);
    std::unique_ptr<void, ReplyDeleter> ack(redisCommand(ctx_.get(), "SUBSCRIBE seald:changes"));
    EXPECT_TRUE(ack);
  }

  // The next message's payload as JSON; null when none came in time.
  boost::json::value next() {
    void* raw = nullptr;
    if (redisGetReply(ctx_.get(), &raw) != REDIS_OK) {
      return nullptr;
    }
    std::unique_ptr<void, ReplyDeleter> reply(raw);
    auto* r = static_cast<redisReply*>(raw);
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 3) {
      return nullptr;
    }
    EXPECT_EQ(std::string(r->element[1]->str, r->element[1]->len), "seald:changes");
    return boost::json::parse(std::string_view(r->element[2]->str, r->element[2]->len));
  }

  // True when nothing arrives within a short wait.
  bool quiet() {
    timeval shortly{0, 300000};
    redisSetTimeout(ctx_.get(), shortly);
    void* raw = nullptr;
    bool nothing = redisGetReply(ctx_.get(), &raw) != REDIS_OK;
    if (raw != nullptr) {
      freeReplyObject(raw);
    }
    return nothing;
  }

 private:
  std::unique_ptr<redisContext, ContextDeleter> ctx_;
};

boost::json::value notice(const App& app, const char* status) {
  return boost::json::object{
      {"type", "app"}, {"id", app.id}, {"client_id", app.client_id}, {"status", status}};
}

TEST_F(AppStoreTest, EveryChangePublishesANoticeWithoutTheSecret) {
  Subscriber subscriber(server_.port());
  auto made = registered(sample());
  const App& app = made.app;
  EXPECT_EQ(subscriber.next(), notice(app, "enabled"));
  ASSERT_TRUE(store_.disable(app.id, 1));
  EXPECT_EQ(subscriber.next(), notice(app, "disabled"));
  ASSERT_TRUE(store_.enable(app.id, 2));
  EXPECT_EQ(subscriber.next(), notice(app, "enabled"));
  ASSERT_TRUE(store_.disable(app.id, 3));
  EXPECT_EQ(subscriber.next(), notice(app, "disabled"));
  // A rotation is a change a cache must hear of, with the status as it is.
  ASSERT_TRUE(store_.rotate_secret(app.id, 4));
  EXPECT_EQ(subscriber.next(), notice(app, "disabled"));
  // So is a rate limit: every node's cache must re-read the app to apply it.
  ASSERT_TRUE(store_.set_rate_limit(app.id, 5, AppRateLimit{5, 10}));
  EXPECT_EQ(subscriber.next(), notice(app, "disabled"));
  ASSERT_TRUE(store_.set_rate_limit(app.id, 6, std::nullopt));
  EXPECT_EQ(subscriber.next(), notice(app, "disabled"));
}

TEST_F(AppStoreTest, RefusedChangesPublishNothing) {
  auto made = registered(sample());
  Subscriber subscriber(server_.port());
  EXPECT_FALSE(store_.disable(made.app.id, 9));
  EXPECT_FALSE(store_.enable(made.app.id, 1));
  EXPECT_FALSE(store_.rotate_secret(made.app.id, 0));
  EXPECT_FALSE(store_.set_rate_limit(made.app.id, 2, AppRateLimit{5, 10}));
  EXPECT_FALSE(store_.set_rate_limit(made.app.id, 1, AppRateLimit{5, 0}));
  EXPECT_FALSE(store_.register_app(sample(""), "u"));
  EXPECT_TRUE(subscriber.quiet());
}

}  // namespace
}  // namespace seald::apps::testing
