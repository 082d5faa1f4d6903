#pragma once

// One hiredis connection, owned. Commands are sent as argument vectors, so
// values are binary-safe and never interpolated into a command string.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <hiredis/hiredis.h>

#include "core/error.h"
#include "core/secret.h"

namespace seald::redis {

struct Endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::optional<Secret> password;
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds command_timeout{2000};
};

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// A reply that is known not to be an error reply.
class Reply {
 public:
  explicit Reply(ReplyPtr r) : reply_(std::move(r)) {}
  int type() const { return reply_->type; }
  bool is_nil() const { return reply_->type == REDIS_REPLY_NIL; }
  bool is_status(std::string_view s) const;
  std::string_view str() const { return {reply_->str, reply_->len}; }
  long long integer() const { return reply_->integer; }
  std::size_t size() const { return reply_->elements; }
  const redisReply* element(std::size_t i) const { return reply_->element[i]; }
  const redisReply* raw() const { return reply_.get(); }

 private:
  ReplyPtr reply_;
};

class Connection {
 public:
  // Connects, authenticates (password from the endpoint) and PINGs.
  static Result<std::unique_ptr<Connection>> connect(const Endpoint& endpoint);

  // Sends one command and waits for its reply. An error reply is returned as
  // Error{"redis_error", ...}; a broken connection as "redis_unavailable" and
  // marks this connection broken().
  Result<Reply> command(const std::vector<std::string_view>& args);

  // Sends several commands in one write and reads all replies (pipelining).
  // Error replies are kept in the result; only I/O failure is an Error.
  Result<std::vector<ReplyPtr>> pipeline(const std::vector<std::vector<std::string_view>>& cmds);

  bool broken() const { return broken_; }

 private:
  struct ContextDeleter {
    void operator()(redisContext* c) const { redisFree(c); }
  };
  explicit Connection(redisContext* c) : ctx_(c) {}
  Error io_error(const char* what);

  std::unique_ptr<redisContext, ContextDeleter> ctx_;
  bool broken_ = false;
};

}  // namespace seald::redis
