#include "server/http_stats.h"

#include "server/router.h"

namespace seald::server {

HttpStats::HttpStats(metrics::Registry& registry)
    : requests(registry.counter_family("seald_http_requests_total",
                                       "HTTP requests answered, by route and status code.",
                                       {"route", "status"})),
      latency(registry.histogram_family(
          "seald_http_request_duration_seconds",
          "Time from a request's first byte to its response being sent, by route.", {"route"})),
      in_flight(
          registry.gauge("seald_http_requests_in_flight", "Requests read and not yet answered.")),
      connections_open(registry.gauge("seald_http_connections_open", "Open HTTP connections.")),
      connections_accepted(
          registry.counter("seald_http_connections_accepted_total", "HTTP connections accepted.")),
      accept_errors(registry.counter("seald_http_accept_errors_total",
                                     "Failed accepts (for example, out of file descriptors).")),
      timeouts(registry.counter_family(
          "seald_http_timeouts_total",
          "Connections closed by a timeout, by phase: idle (between keep-alive requests), "
          "header, read (the whole request) or write.",
          {"phase"})),
      idle_timeouts(timeouts.with({"idle"})),
      header_timeouts(timeouts.with({"header"})),
      read_timeouts(timeouts.with({"read"})),
      write_timeouts(timeouts.with({"write"})),
      handler_failures(registry.counter("seald_http_handler_failures_total",
                                        "Requests whose handler threw (answered 500).")) {}

RouteStats::RouteStats(HttpStats& stats, std::string_view route)
    : stats_(stats), route_(route), latency_(stats.latency.with({route})) {}

void RouteStats::record(unsigned status, double seconds) {
  latency_.observe(seconds);
  if (status >= by_status_.size()) {
    stats_.requests.with({route_, std::to_string(status)}).inc();
    return;
  }
  metrics::Counter* counter = by_status_[status].load(std::memory_order_acquire);
  if (counter == nullptr) {
    // Two threads may race here; both get the same child from the family.
    counter = &stats_.requests.with({route_, std::to_string(status)});
    by_status_[status].store(counter, std::memory_order_release);
  }
  counter->inc();
}

RouteStatsTable::RouteStatsTable(HttpStats& stats, const Router& router)
    : unrouted_(std::make_unique<RouteStats>(stats, kUnrouted)) {
  by_id_.reserve(router.size());
  for (std::size_t id = 0; id < router.size(); ++id) {
    by_id_.push_back(std::make_unique<RouteStats>(stats, router.route(id).name));
  }
}

}  // namespace seald::server
