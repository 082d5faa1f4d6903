#include "signing/change_listener.h"

#include <poll.h>

#include <cerrno>
#include <memory>
#include <string>

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

namespace seald::signing {
namespace {

// How long one wait on the socket lasts: the bound on stop()'s delay.
constexpr int kPollSliceMs = 100;
constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{5000};

struct ContextFree {
  void operator()(redisContext* c) const { redisFree(c); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextFree>;
struct ReplyFree {
  void operator()(void* r) const { freeReplyObject(r); }
};
using AnyReply = std::unique_ptr<void, ReplyFree>;

timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000),
                 static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

std::string_view text(const redisReply* r) {
  return r != nullptr && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS ||
                          r->type == REDIS_REPLY_ERROR)
             ? std::string_view(r->str, r->len)
             : std::string_view();
}

// Connects, authenticates and subscribes; the message names no secret.
Result<ContextPtr> subscribe(const redis::Endpoint& endpoint) {
  ContextPtr c(redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port,
                                       to_timeval(endpoint.connect_timeout)));
  if (!c || c->err != 0) {
    return make_error("redis_unavailable", "cannot connect the change listener to " +
                                               endpoint.host + ":" + std::to_string(endpoint.port) +
                                               ": " + (c ? c->errstr : "out of memory"));
  }
  redisSetTimeout(c.get(), to_timeval(endpoint.command_timeout));
  redisEnableKeepAlive(c.get());
  if (endpoint.password) {
    std::string_view pw = endpoint.password->reveal();
    AnyReply auth(redisCommand(c.get(), "AUTH %b", pw.data(), pw.size()));
    auto* r = static_cast<redisReply*>(auth.get());
    if (r == nullptr || r->type == REDIS_REPLY_ERROR) {
      return make_error("redis_unavailable", "the change listener could not authenticate");
    }
  }
  std::string channel(kChangesChannel);
  AnyReply ack(redisCommand(c.get(), "SUBSCRIBE %b", channel.data(), channel.size()));
  auto* r = static_cast<redisReply*>(ack.get());
  if (r == nullptr || r->type != REDIS_REPLY_ARRAY || r->elements < 1 ||
      text(r->element[0]) != "subscribe") {
    return make_error("redis_unavailable", "the change listener could not subscribe");
  }
  return c;
}

// The payload of a pub/sub "message" on our channel; empty for anything else.
std::string_view payload_of(const redisReply* r) {
  if (r->type != REDIS_REPLY_ARRAY || r->elements != 3 || text(r->element[0]) != "message" ||
      text(r->element[1]) != kChangesChannel) {
    return {};
  }
  return text(r->element[2]);
}

}  // namespace

ChangeListener::ChangeListener(redis::Endpoint endpoint, Handlers handlers)
    : endpoint_(std::move(endpoint)), handlers_(std::move(handlers)) {}

ChangeListener::~ChangeListener() {
  stop();
}

void ChangeListener::start() {
  if (thread_.joinable()) {
    return;
  }
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void ChangeListener::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool ChangeListener::pause(std::chrono::milliseconds how_long) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, how_long, [this] { return stopping_.load(); });
}

void ChangeListener::run() {
  auto backoff = kFirstBackoff;
  while (!stopping_) {
    auto subscribed = subscribe(endpoint_);
    if (!subscribed) {
      spdlog::warn("change listener: {} ({}); retrying in {} ms", subscribed.error().message,
                   subscribed.error().code, backoff.count());
      if (!pause(backoff)) {
        return;
      }
      backoff = std::min(backoff * 2, kMaxBackoff);
      continue;
    }
    backoff = kFirstBackoff;
    redisContext* c = subscribed->get();
    handlers_.on_subscribed();
    // Replies already buffered are drained before waiting on the socket
    // again; poll() keeps each wait short so stop() is heard.
    while (!stopping_) {
      void* raw = nullptr;
      if (redisGetReplyFromReader(c, &raw) != REDIS_OK) {
        break;
      }
      if (raw != nullptr) {
        AnyReply reply(raw);
        std::string_view payload = payload_of(static_cast<redisReply*>(raw));
        if (!payload.empty()) {
          handlers_.on_notice(payload);
        }
        continue;
      }
      pollfd p{c->fd, POLLIN, 0};
      int ready = poll(&p, 1, kPollSliceMs);
      if (ready < 0 && errno == EINTR) {
        continue;
      }
      if (ready < 0 || (ready > 0 && redisBufferRead(c) != REDIS_OK)) {
        break;
      }
    }
    if (!stopping_) {
      spdlog::warn("change listener: connection lost ({}); reconnecting",
                   c->err != 0 ? c->errstr : "closed");
    }
  }
}

}  // namespace seald::signing
