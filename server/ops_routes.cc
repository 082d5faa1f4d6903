#include "server/ops_routes.h"

#include <memory>

#include <boost/json/object.hpp>

#include "server/json_response.h"

namespace seald::server {

namespace {

Response readiness(const std::vector<ReadinessCheck>& checks) {
  boost::json::object results;
  std::string failures;
  for (const auto& [name, check] : checks) {
    Status status = make_error("check_failed", "the check threw");
    try {
      status = check();
    } catch (const std::exception& e) {
      status = make_error("check_failed", std::string("the check threw: ") + e.what());
    }
    if (status) {
      results[name] = "ok";
      continue;
    }
    results[name] = status.error().code;
    if (!failures.empty()) {
      failures += "; ";
    }
    failures += name + ": " + status.error().message;
  }
  if (failures.empty()) {
    return json_response(http::status::ok, {{"status", "ready"}, {"checks", std::move(results)}});
  }
  boost::json::object extra;
  extra["checks"] = std::move(results);
  return json_error(http::status::service_unavailable, "not_ready", failures, std::move(extra));
}

}  // namespace

void add_ops_routes(Router& router, metrics::Registry& registry,
                    std::vector<ReadinessCheck> checks) {
  router.add(http::verb::get, "/healthz", "healthz", [](const Request&, const RequestContext&) {
    return json_response(http::status::ok, {{"status", "ok"}});
  });
  router.add(http::verb::get, "/readyz", "readyz",
             [checks = std::make_shared<const std::vector<ReadinessCheck>>(std::move(checks))](
                 const Request&, const RequestContext&) { return readiness(*checks); });
  router.add(http::verb::get, "/metrics", "metrics",
             [&registry](const Request&, const RequestContext&) {
               return text_response(http::status::ok, registry.render(), metrics::kTextContentType);
             });
}

}  // namespace seald::server
