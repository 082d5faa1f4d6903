#pragma once

// The signing side of a node, assembled in one place: app tokens, the state
// cache and its listener, the audit group committer, the signing thread pool
// and their metrics. The node builds one after the management services and
// hands its SigningServices to the sign routes and its LocalChanges to the
// management API.

#include <memory>

#include <boost/asio/thread_pool.hpp>

#include "api/services.h"
#include "api/signing_services.h"
#include "audit/batcher.h"
#include "audit/log.h"
#include "config/config.h"
#include "metrics/registry.h"
#include "redis/pool.h"
#include "server/periodic_task.h"
#include "signing/app_tokens.h"
#include "signing/rate_limiter.h"
#include "signing/signature_activation.h"
#include "signing/state_cache.h"

namespace seald::server {

class SigningStack {
 public:
  SigningStack(const SigningConfig& config, redis::Pool& pool, redis::Endpoint subscriber,
               audit::AuditLog& audit_log, apps::AppStore& apps, seals::Seals& seals,
               hsm::TokenPtr token, metrics::Registry& registry,
               const std::vector<std::uint8_t>& ca_certificate_der);
  ~SigningStack();  // joins the signing workers, then drains the audit queue

  api::SigningServices& services() { return services_; }
  // Management changes this node commits reach its cache at once.
  api::LocalChanges local_changes();

 private:
  api::SigningStats stats_;
  signing::AppTokens tokens_;
  signing::StateCache cache_;
  signing::SignatureActivations activations_;
  audit::AuditBatcher batcher_;
  boost::asio::thread_pool workers_;
  signing::RateLimiter rate_limiter_;
  api::SigningServices services_;
  std::unique_ptr<PeriodicTask> resync_gauge_;
};

}  // namespace seald::server
