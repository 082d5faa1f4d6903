#pragma once

// The endpoints operators and orchestrators use:
//   GET /healthz  200 {"status":"ok"} while the process can answer at all.
//   GET /readyz   200 when every readiness check passes, else 503 naming the
//                 failed part: {"error":"not_ready","message":"redis: ...",
//                 "checks":{"hsm":"ok","redis":"<its error code>"}}.
//   GET /metrics  the registry in the Prometheus text format.

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "metrics/registry.h"
#include "server/router.h"

namespace seald::server {

// A named readiness check ("hsm", "redis"). Checks run on an I/O thread,
// possibly several at once, for every /readyz: they must be thread-safe and
// quick — report a state kept current elsewhere, do not dial out.
struct ReadinessCheck {
  std::string name;
  std::function<Status()> check;
};

void add_ops_routes(Router& router, metrics::Registry& registry,
                    std::vector<ReadinessCheck> checks);

}  // namespace seald::server
