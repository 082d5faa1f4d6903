#include "server/exchange.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "server/http_stats.h"
#include "server/request_id.h"

namespace seald::server {

namespace {

constexpr std::string_view kRequestIdHeader = "X-Request-Id";

}  // namespace

Exchange::Exchange(Request request_in, const boost::asio::ip::tcp::endpoint& remote,
                   std::chrono::steady_clock::time_point received, RouteStats& unrouted,
                   HttpStats& stats)
    : request(std::move(request_in)), route_stats(&unrouted), stats_(stats) {
  auto given = request.find(kRequestIdHeader);
  if (given != request.end() && valid_request_id(given->value())) {
    context.request_id = std::string(given->value());
  } else {
    context.request_id = new_request_id();
  }
  context.remote = remote;
  context.route = kUnrouted;
  context.received = received;
  stats_.in_flight.inc();
}

void Exchange::finish(bool last) {
  Response& r = *response;
  r.version(request.version() == 10 ? 10 : 11);
  r.set(kRequestIdHeader, context.request_id);
  r.keep_alive(!last);
  r.prepare_payload();

  // Counted when handed to the socket rather than when the write completes,
  // so a client holding its response also finds it in /metrics.
  const auto elapsed = std::chrono::steady_clock::now() - context.received;
  const unsigned status = r.result_int();
  route_stats->record(status, std::chrono::duration<double>(elapsed).count());
  if (in_flight_) {
    in_flight_ = false;
    stats_.in_flight.dec();
  }
  if (spdlog::should_log(spdlog::level::debug)) {
    // The path only: query strings and headers may carry credentials.
    std::string_view target = request.target();
    std::string_view path = target.substr(0, std::min<std::size_t>(target.find('?'), 256));
    spdlog::debug("http {}:{} {} {} {} {:.3f}ms route={} id={}",
                  context.remote.address().to_string(), context.remote.port(),
                  std::string_view(request.method_string()), path, status,
                  std::chrono::duration<double, std::milli>(elapsed).count(), context.route,
                  context.request_id);
  }
}

void Exchange::abandon() {
  if (in_flight_) {
    in_flight_ = false;
    stats_.in_flight.dec();
  }
}

}  // namespace seald::server
