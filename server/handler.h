#pragma once

// Handlers: request in, response out. Socket I/O stays in the session.
//
// An AsyncHandler answers through a Responder, which it may call later and
// from any thread: the signing handler returns at once and answers when the
// audit record's group commit is acknowledged, so no I/O thread waits. The
// request and context passed to it stay valid for as long as any copy of the
// Responder exists. A SyncHandler is the convenience form for quick,
// non-blocking work; it runs on an I/O thread.

#include <atomic>
#include <functional>
#include <memory>

#include "server/http.h"
#include "server/request_context.h"

namespace seald::server {

class Exchange;  // one request and its response slot, owned by a session

// Implemented by the session: takes a response back to the connection's
// strand. Not for handlers to use directly.
class ResponseSink {
 public:
  virtual void deliver(std::shared_ptr<Exchange> exchange, Response response) = 0;

 protected:
  ~ResponseSink() = default;
};

// Sends the response to one request. Copyable (it fits in a
// std::function-based completion queue) and callable from any thread; the
// first call wins and later ones are ignored. If every copy is destroyed
// without a call, the client gets a 500 rather than a hung connection.
class Responder {
 public:
  Responder(std::shared_ptr<ResponseSink> sink, std::shared_ptr<Exchange> exchange);

  void operator()(Response response) const;
  bool answered() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

using AsyncHandler = std::function<void(const Request&, const RequestContext&, Responder)>;
using SyncHandler = std::function<Response(const Request&, const RequestContext&)>;

}  // namespace seald::server
