#include "server/handler.h"

#include <spdlog/spdlog.h>

#include "server/json_response.h"

namespace seald::server {

struct Responder::State {
  State(std::shared_ptr<ResponseSink> s, std::shared_ptr<Exchange> e)
      : sink(std::move(s)), exchange(std::move(e)) {}
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  ~State() {
    if (!sent.load(std::memory_order_acquire)) {
      spdlog::error("http: a handler dropped its request without answering");
      sink->deliver(std::move(exchange), json_error(http::status::internal_server_error, "internal",
                                                    "the request was dropped without an answer"));
    }
  }

  std::shared_ptr<ResponseSink> sink;
  std::shared_ptr<Exchange> exchange;
  std::atomic<bool> sent{false};
};

Responder::Responder(std::shared_ptr<ResponseSink> sink, std::shared_ptr<Exchange> exchange)
    : state_(std::make_shared<State>(std::move(sink), std::move(exchange))) {}

void Responder::operator()(Response response) const {
  if (state_->sent.exchange(true, std::memory_order_acq_rel)) {
    spdlog::warn("http: a handler answered the same request twice; the second answer is ignored");
    return;
  }
  state_->sink->deliver(state_->exchange, std::move(response));
}

bool Responder::answered() const {
  return state_->sent.load(std::memory_order_acquire);
}

}  // namespace seald::server
