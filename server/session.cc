#include "server/session.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "server/connection_set.h"
#include "server/dispatch.h"
#include "server/exchange.h"
#include "server/handler.h"
#include "server/http_stats.h"
#include "server/json_response.h"

namespace seald::server {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr std::size_t kReadChunk = 4096;
// After refusing a request, keep reading (and discarding) briefly so the
// client's unsent body does not turn our close into a reset that destroys
// the error response before the client reads it.
constexpr std::chrono::milliseconds kLingerTimeout{1000};

template <class Stream>
class Session final : public Connection,
                      public ResponseSink,
                      public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Stream stream, tcp::endpoint remote, SessionShared& shared)
      : stream_(std::move(stream)),
        remote_(std::move(remote)),
        shared_(shared),
        config_(shared.config),
        read_timer_(stream_.get_executor()),
        write_timer_(stream_.get_executor()) {}

  ~Session() {
    abandon_queue();
    shared_.connections.remove(this);
    shared_.stats.connections_open.dec();
  }

  void start() {
    shared_.connections.add(this->shared_from_this());
    shared_.stats.connections_open.inc();
    shared_.stats.connections_accepted.inc();
    accepted_at_ = Clock::now();
    asio::dispatch(stream_.get_executor(),
                   [self = this->shared_from_this()] { self->read_next(); });
  }

  void drain() override {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      self->draining_ = true;
      self->maybe_finish();
    });
  }

  void force_close() override {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->close(); });
  }

  void deliver(std::shared_ptr<Exchange> exchange, Response response) override {
    asio::dispatch(stream_.get_executor(),
                   [self = this->shared_from_this(), exchange = std::move(exchange),
                    response = std::move(response)]() mutable {
                     if (self->closed_ || exchange->response) {
                       return;
                     }
                     exchange->response = std::move(response);
                     self->maybe_write();
                   });
  }

 private:
  enum class Phase { kNone, kFirstByte, kHeader, kBody, kLinger };

  // ---- reading -----------------------------------------------------------

  void read_next() {
    if (closed_) {
      return;
    }
    phase_ = Phase::kNone;
    if (read_closed_ || draining_ || queue_.size() >= kMaxQueuedResponses) {
      maybe_finish();
      return;
    }
    if (buffer_.size() > 0) {  // the next pipelined request is already here
      start_header();
      return;
    }
    phase_ = Phase::kFirstByte;
    arm(read_timer_, first_byte_deadline());
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = this->shared_from_this()](error_code ec, std::size_t n) {
                              self->on_first_byte(ec, n);
                            });
  }

  Clock::time_point first_byte_deadline() const {
    if (requests_started_ == 0) {
      return accepted_at_ + ms(config_.header_timeout_ms);
    }
    // The client is not idle while it waits for our answers; idleness starts
    // when the last response has gone out (on_write re-arms).
    if (!queue_.empty()) {
      return Clock::time_point::max();
    }
    return Clock::now() + ms(config_.idle_timeout_ms);
  }

  void on_first_byte(error_code ec, std::size_t n) {
    if (lingering_) {  // keeps the linger deadline armed
      linger_read(ec, n);
      return;
    }
    disarm(read_timer_);
    if (closed_) {
      return;
    }
    if (ec) {
      if (ec == asio::error::eof) {
        read_closed_ = true;
        phase_ = Phase::kNone;
        maybe_finish();
      } else {
        fail("read", ec);
      }
      return;
    }
    buffer_.commit(n);
    if (draining_) {  // requests arriving during shutdown are not started
      read_closed_ = true;
      phase_ = Phase::kNone;
      maybe_finish();
      return;
    }
    start_header();
  }

  void start_header() {
    phase_ = Phase::kHeader;
    const auto now = Clock::now();
    const auto header_from = requests_started_ == 0 ? accepted_at_ : now;
    ++requests_started_;
    request_started_at_ = now;
    request_deadline_ = now + ms(config_.read_timeout_ms);
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(config_.header_limit));
    parser_->body_limit(config_.body_limit);
    arm(read_timer_, std::min(header_from + ms(config_.header_timeout_ms), request_deadline_));
    header_bytes_ = 0;
    read_header_part();
  }

  // Beast applies header_limit to what one parse call sees, and each call
  // consumes the complete fields so far: a header that arrives in pieces
  // could grow without bound. So the session counts the header's bytes
  // across reads itself.
  void read_header_part() {
    http::async_read_some(stream_, buffer_, *parser_,
                          [self = this->shared_from_this()](error_code ec, std::size_t n) {
                            self->on_header_part(ec, n);
                          });
  }

  void on_header_part(error_code ec, std::size_t n) {
    if (closed_ || ec) {
      on_header(ec);
      return;
    }
    header_bytes_ += n;
    if (header_bytes_ > config_.header_limit) {
      on_header(http::error::header_limit);
    } else if (parser_->is_header_done()) {
      on_header({});
    } else {
      read_header_part();
    }
  }

  void on_header(error_code ec) {
    if (closed_) {
      return;
    }
    if (ec) {
      on_read_error(ec);
      return;
    }
    // A request whose Transfer-Encoding does not end in chunked has no
    // knowable length (RFC 9112 §6.3). Reading its body as empty would let
    // the bytes after it pass for a second request that a proxy in front
    // never saw: request smuggling.
    if (parser_->get().count(http::field::transfer_encoding) > 0 && !parser_->chunked()) {
      refuse(http::status::bad_request, "bad_transfer_encoding",
             "Transfer-Encoding must end in chunked");
      return;
    }
    if (parser_->is_done()) {
      on_request();
      return;
    }
    phase_ = Phase::kBody;
    arm(read_timer_, request_deadline_);
    maybe_send_continue();
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](error_code ec, std::size_t) {
                       if (self->closed_) {
                         return;
                       }
                       if (ec) {
                         self->on_read_error(ec);
                       } else {
                         self->on_request();
                       }
                     });
  }

  // Clients that ask (curl does, for larger bodies) wait for "100 Continue"
  // before sending the body; without it they stall for a second. Only when
  // nothing else is queued, since earlier responses must go out first.
  void maybe_send_continue() {
    const auto& header = parser_->get();
    auto expect = header.find(http::field::expect);
    if (expect == header.end() || !beast::iequals(expect->value(), "100-continue") || writing_ ||
        !queue_.empty()) {
      return;
    }
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    writing_ = true;
    arm(write_timer_, Clock::now() + ms(config_.read_timeout_ms));
    asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = this->shared_from_this()](error_code ec, std::size_t) {
                        self->writing_ = false;
                        self->disarm(self->write_timer_);
                        if (self->closed_) {
                          return;
                        }
                        if (ec) {
                          self->fail("write", ec);
                          return;
                        }
                        self->maybe_write();
                      });
  }

  void on_read_error(error_code ec) {
    disarm(read_timer_);
    phase_ = Phase::kNone;
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) {
      read_closed_ = true;  // the client went away, perhaps mid-request
      maybe_finish();
    } else if (ec == http::error::body_limit) {
      refuse(http::status::payload_too_large, "body_too_large",
             "the request body exceeds " + std::to_string(config_.body_limit) + " bytes");
    } else if (ec == http::error::header_limit) {
      refuse(http::status::request_header_fields_too_large, "header_too_large",
             "the request header exceeds " + std::to_string(config_.header_limit) + " bytes");
    } else if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
      refuse(http::status::bad_request, "bad_request", "malformed HTTP request: " + ec.message());
    } else {
      fail("read", ec);
    }
  }

  // ---- handling ----------------------------------------------------------

  void on_request() {
    disarm(read_timer_);
    phase_ = Phase::kNone;
    auto exchange = enqueue();
    if (!exchange->request.keep_alive()) {
      exchange->close_after = true;
      read_closed_ = true;
    }
    dispatch(exchange, shared_, this->shared_from_this());
    maybe_write();
    read_next();
  }

  // A request the server answers itself, without a handler; nothing more is
  // read from this connection.
  void refuse(http::status status, std::string_view code, const std::string& message) {
    read_closed_ = true;
    auto exchange = enqueue();
    label_route(*exchange, shared_);
    exchange->close_after = true;
    exchange->response = json_error(status, code, message);
    maybe_write();
  }

  std::shared_ptr<Exchange> enqueue() {
    auto exchange = std::make_shared<Exchange>(parser_->release(), remote_, request_started_at_,
                                               shared_.route_stats.unrouted(), shared_.stats);
    parser_.reset();
    queue_.push_back(exchange);
    return exchange;
  }

  // ---- writing -----------------------------------------------------------

  void maybe_write() {
    if (writing_ || closed_ || queue_.empty() || !queue_.front()->response) {
      return;
    }
    auto exchange = queue_.front();
    // While draining, the last response we will send says so.
    exchange->close_after =
        exchange->close_after ||
        (draining_ && queue_.size() == 1 && phase_ != Phase::kHeader && phase_ != Phase::kBody);
    exchange->finish(exchange->close_after);
    writing_ = true;
    arm(write_timer_, Clock::now() + ms(config_.read_timeout_ms));
    http::async_write(stream_, *exchange->response,
                      [self = this->shared_from_this(), exchange](error_code ec, std::size_t) {
                        self->on_write(ec, *exchange);
                      });
  }

  void on_write(error_code ec, Exchange& exchange) {
    writing_ = false;
    disarm(write_timer_);
    if (closed_) {
      return;
    }
    if (ec) {
      fail("write", ec);
      return;
    }
    queue_.pop_front();
    if (exchange.close_after) {
      linger_and_close();
      return;
    }
    maybe_write();
    if (phase_ == Phase::kNone) {
      read_next();  // reading paused on a full queue, or the connection is done
    } else if (phase_ == Phase::kFirstByte && queue_.empty()) {
      if (draining_) {
        maybe_finish();
      } else {
        arm(read_timer_, Clock::now() + ms(config_.idle_timeout_ms));
      }
    }
  }

  // ---- closing -----------------------------------------------------------

  // Closes once nothing is left to read or write.
  void maybe_finish() {
    if (closed_ || lingering_ || writing_ || !queue_.empty() || phase_ == Phase::kHeader ||
        phase_ == Phase::kBody) {
      return;
    }
    if (draining_ && phase_ == Phase::kFirstByte && !read_closed_) {
      close();  // an idle keep-alive connection: nothing to finish
    } else if (read_closed_ || draining_) {
      linger_and_close();
    }
  }

  void linger_and_close() {
    if (closed_ || lingering_) {
      return;
    }
    lingering_ = true;
    read_closed_ = true;
    error_code ec;
    beast::get_lowest_layer(stream_).shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
      close();
      return;
    }
    arm(read_timer_,
        Clock::now() + std::min<Clock::duration>(kLingerTimeout, ms(config_.read_timeout_ms)));
    if (phase_ != Phase::kFirstByte) {  // else the pending read serves the linger
      linger_read({}, 0);
    }
  }

  void linger_read(error_code ec, std::size_t) {
    if (ec || closed_) {
      close();
      return;
    }
    phase_ = Phase::kLinger;
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = this->shared_from_this()](error_code ec, std::size_t n) {
                              self->linger_read(ec, n);
                            });
  }

  void close() {
    if (closed_) {
      return;
    }
    closed_ = true;
    read_timer_.cancel();
    write_timer_.cancel();
    error_code ec;
    auto& socket = beast::get_lowest_layer(stream_);
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
    abandon_queue();
  }

  void abandon_queue() {
    for (auto& exchange : queue_) {
      exchange->abandon();
    }
    queue_.clear();  // a pending write keeps its own exchange alive
  }

  void fail(std::string_view what, error_code ec) {
    if (closed_ || ec == asio::error::operation_aborted) {
      return;
    }
    // Resets and broken pipes are the network's ordinary weather.
    spdlog::debug("http {}:{} {} failed: {}", remote_.address().to_string(), remote_.port(), what,
                  ec.message());
    close();
  }

  // ---- timeouts ----------------------------------------------------------

  static Clock::duration ms(unsigned n) { return std::chrono::milliseconds(n); }

  void arm(asio::steady_timer& timer, Clock::time_point deadline) {
    timer.expires_at(deadline);
    if (deadline == Clock::time_point::max()) {
      return;
    }
    timer.async_wait(
        [self = this->shared_from_this(), &timer](error_code ec) { self->on_timer(ec, timer); });
  }

  void disarm(asio::steady_timer& timer) { timer.expires_at(Clock::time_point::max()); }

  void on_timer(error_code ec, asio::steady_timer& timer) {
    // A wait that completed after the timer was re-armed is stale.
    if (ec || closed_ || timer.expiry() > Clock::now()) {
      return;
    }
    auto& stats = shared_.stats;
    std::string_view phase = "linger";
    if (&timer == &write_timer_) {
      phase = "write";
      stats.write_timeouts.inc();
    } else if (!lingering_ && phase_ == Phase::kFirstByte) {
      phase = requests_started_ == 0 ? "header" : "idle";
      (requests_started_ == 0 ? stats.header_timeouts : stats.idle_timeouts).inc();
    } else if (phase_ == Phase::kHeader) {
      phase = "header";
      stats.header_timeouts.inc();
    } else if (phase_ == Phase::kBody) {
      phase = "read";
      stats.read_timeouts.inc();
    }
    spdlog::debug("http {}:{} {} timeout, closing", remote_.address().to_string(), remote_.port(),
                  phase);
    close();
  }

  Stream stream_;
  tcp::endpoint remote_;
  SessionShared& shared_;
  const ServerConfig& config_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::deque<std::shared_ptr<Exchange>> queue_;
  asio::steady_timer read_timer_;
  asio::steady_timer write_timer_;
  Phase phase_ = Phase::kNone;
  Clock::time_point accepted_at_;
  Clock::time_point request_started_at_;
  Clock::time_point request_deadline_;
  std::size_t requests_started_ = 0;
  std::size_t header_bytes_ = 0;  // of the request being read
  bool writing_ = false;
  bool read_closed_ = false;  // no more requests will be read
  bool draining_ = false;     // server shutdown: finish what was read, then close
  bool lingering_ = false;
  bool closed_ = false;
};

}  // namespace

void start_session(tcp::socket socket, SessionShared& shared) {
  error_code ec;
  tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec) {
    return;  // the peer left before we got to it
  }
  // Responses are small and written whole; waiting to coalesce them only
  // adds latency.
  socket.set_option(tcp::no_delay(true), ec);
  std::make_shared<Session<tcp::socket>>(std::move(socket), std::move(remote), shared)->start();
}

}  // namespace seald::server
