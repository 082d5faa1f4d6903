#pragma once

// The HTTP server's stats, declared once. Per-request updates go through
// RouteStats, which resolves each (route, status) counter on first use and
// keeps the pointer, so the request path never looks anything up under a
// lock.

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/registry.h"

namespace seald::server {

class Router;

// The route label of requests that matched no route (404, 405, bad input).
inline constexpr std::string_view kUnrouted = "unrouted";

struct HttpStats {
  explicit HttpStats(metrics::Registry& registry);

  metrics::CounterFamily& requests;   // seald_http_requests_total{route,status}
  metrics::HistogramFamily& latency;  // seald_http_request_duration_seconds{route}
  metrics::Gauge& in_flight;          // seald_http_requests_in_flight
  metrics::Gauge& connections_open;   // seald_http_connections_open
  metrics::Counter& connections_accepted;
  metrics::Counter& accept_errors;
  metrics::CounterFamily& timeouts;  // seald_http_timeouts_total{phase}
  metrics::Counter& idle_timeouts;
  metrics::Counter& header_timeouts;
  metrics::Counter& read_timeouts;
  metrics::Counter& write_timeouts;
  metrics::Counter& handler_failures;  // handlers that threw
};

class RouteStats {
 public:
  RouteStats(HttpStats& stats, std::string_view route);

  // Counts one answered request and its latency (first byte in → response
  // handed to the socket).
  void record(unsigned status, double seconds);

 private:
  HttpStats& stats_;
  std::string route_;
  metrics::Histogram& latency_;
  // Indexed by status code; filled lazily, since most routes only ever see
  // a few codes.
  std::array<std::atomic<metrics::Counter*>, 600> by_status_{};
};

// One RouteStats per route of a router (by Route::id) plus one for
// unrouted requests.
class RouteStatsTable {
 public:
  RouteStatsTable(HttpStats& stats, const Router& router);

  RouteStats& for_route(std::size_t id) { return *by_id_[id]; }
  RouteStats& unrouted() { return *unrouted_; }

 private:
  std::vector<std::unique_ptr<RouteStats>> by_id_;
  std::unique_ptr<RouteStats> unrouted_;
};

}  // namespace seald::server
