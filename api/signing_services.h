#pragma once

// What the application-facing door (/oauth2/token, /api/v1/sign,
// /api/v1/verify) works with. Unlike the management API it reads apps,
// grants and seal state from the in-process cache, signs on the HSM from
// its own thread pool, and hands audit records to the group committer, so a
// sign request costs one Redis round trip: its audit write.

#include <boost/asio/thread_pool.hpp>

#include "apps/app_store.h"
#include "audit/batcher.h"
#include "hsm/algorithms.h"
#include "hsm/token.h"
#include "metrics/registry.h"
#include "seals/seals.h"
#include "signing/app_tokens.h"
#include "signing/rate_limiter.h"
#include "signing/signature_activation.h"
#include "signing/state_cache.h"

namespace seald::api {

struct SigningLimits {
  std::size_t max_hashes = 64;
  hsm::SignScheme rsa_scheme = hsm::SignScheme::rsa_pkcs1_v15;
  // [signing] rate_per_s and burst: an app's limit unless it has its own.
  signing::RateLimit default_rate{1000, 2000};
};

// The sign path's metrics, declared once (Envoy style).
struct SigningStats {
  explicit SigningStats(metrics::Registry& r);
  metrics::CounterFamily& signatures;    // {app, result}: signatures made, requests refused
  metrics::Histogram& sign_latency;      // whole request, seconds
  metrics::Histogram& hsm_latency;       // one C_Sign (or CMS) step, seconds
  metrics::Histogram& audit_batch_size;  // records per group commit
  metrics::Histogram& audit_lag;         // submit -> acknowledged, seconds
  metrics::Gauge& resync_age;            // seconds since the cache's last full load
};

struct SigningServices {
  apps::AppStore& apps;  // client secrets, for /oauth2/token
  signing::AppTokens& tokens;
  signing::StateCache& cache;
  audit::AuditBatcher& audit;
  hsm::TokenPtr token;
  seals::Seals& seals;                // /verify reads earlier certificates
  boost::asio::thread_pool& workers;  // HSM calls run here, never on an I/O thread
  SigningLimits limits;
  SigningStats& stats;
  signing::SignatureActivations& activations;  // CSC SADs
  // The CA's certificate, for CSC's certificate chains; it lives as long as
  // the CA does, which outlives the signing stack.
  const std::vector<std::uint8_t>& ca_certificate_der;
  signing::RateLimiter& rate_limiter;  // per-app token buckets, in process
};

}  // namespace seald::api
