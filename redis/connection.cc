#include "redis/connection.h"

#include <sys/time.h>

namespace seald::redis {
namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

void to_argv(const std::vector<std::string_view>& args, std::vector<const char*>& argv,
             std::vector<size_t>& lens) {
  argv.clear();
  lens.clear();
  for (auto a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
}

}  // namespace

bool Reply::is_status(std::string_view s) const {
  return reply_->type == REDIS_REPLY_STATUS && str() == s;
}

Error Connection::io_error(const char* what) {
  broken_ = true;
  std::string detail = ctx_ && ctx_->err != 0 ? ctx_->errstr : "connection lost";
  return make_error("redis_unavailable", std::string("Redis ") + what + " failed: " + detail);
}

Result<std::unique_ptr<Connection>> Connection::connect(const Endpoint& endpoint) {
  timeval tv = to_timeval(endpoint.connect_timeout);
  redisContext* raw = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, tv);
  if (raw == nullptr) {
    return make_error("redis_unavailable", "cannot allocate a Redis connection");
  }
  std::unique_ptr<Connection> conn(new Connection(raw));
  std::string where = endpoint.host + ":" + std::to_string(endpoint.port);
  if (raw->err != 0) {
    return make_error("redis_unavailable",
                      "cannot connect to Redis at " + where + ": " + std::string(raw->errstr));
  }
  if (redisSetTimeout(raw, to_timeval(endpoint.command_timeout)) != REDIS_OK) {
    return make_error("redis_unavailable", "cannot set Redis timeout for " + where);
  }
  if (endpoint.password) {
    auto r = conn->command({"AUTH", endpoint.password->reveal()});
    if (!r) {
      // The server's own message ("WRONGPASS ...") carries no secret.
      return make_error("redis_auth_failed",
                        "Redis at " + where + " refused authentication: " + r.error().message);
    }
  }
  auto pong = conn->command({"PING"});
  if (!pong) {
    return make_error(pong.error().code,
                      "Redis at " + where + " did not answer PING: " + pong.error().message);
  }
  return conn;
}

Result<Reply> Connection::command(const std::vector<std::string_view>& args) {
  if (broken_) {
    return make_error("redis_unavailable", "Redis connection is broken");
  }
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  to_argv(args, argv, lens);
  void* raw = redisCommandArgv(ctx_.get(), static_cast<int>(argv.size()), argv.data(), lens.data());
  if (raw == nullptr) {
    return io_error("command");
  }
  ReplyPtr reply(static_cast<redisReply*>(raw));
  if (reply->type == REDIS_REPLY_ERROR) {
    return make_error("redis_error", std::string(reply->str, reply->len));
  }
  return Reply(std::move(reply));
}

Result<std::vector<ReplyPtr>> Connection::pipeline(
    const std::vector<std::vector<std::string_view>>& cmds) {
  if (broken_) {
    return make_error("redis_unavailable", "Redis connection is broken");
  }
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& cmd : cmds) {
    to_argv(cmd, argv, lens);
    if (redisAppendCommandArgv(ctx_.get(), static_cast<int>(argv.size()), argv.data(),
                               lens.data()) != REDIS_OK) {
      return io_error("pipeline append");
    }
  }
  std::vector<ReplyPtr> replies;
  replies.reserve(cmds.size());
  for (std::size_t i = 0; i < cmds.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx_.get(), &raw) != REDIS_OK || raw == nullptr) {
      return io_error("pipeline read");
    }
    replies.emplace_back(static_cast<redisReply*>(raw));
  }
  return replies;
}

}  // namespace seald::redis
