#include "server/signing_stack.h"

#include <spdlog/spdlog.h>

#include <thread>

namespace seald::server {
namespace {

std::size_t worker_count(unsigned configured) {
  if (configured != 0) {
    return configured;
  }
  // HSM calls block; twice the cores keeps the token busy while some wait.
  return std::max(2u, 2 * std::thread::hardware_concurrency());
}

hsm::SignScheme rsa_scheme(const std::string& name) {
  return name == "pss" ? hsm::SignScheme::rsa_pss : hsm::SignScheme::rsa_pkcs1_v15;
}

void log_failure(const char* what, const Status& s) {
  if (!s) {
    spdlog::warn("signing cache: {} failed: {}", what, s.error().message);
  }
}

}  // namespace

SigningStack::SigningStack(const SigningConfig& config, redis::Pool& pool,
                           redis::Endpoint subscriber, audit::AuditLog& audit_log,
                           apps::AppStore& apps, seals::Seals& seals, hsm::TokenPtr token,
                           metrics::Registry& registry,
                           const std::vector<std::uint8_t>& ca_certificate_der)
    : stats_(registry),
      tokens_(pool, std::chrono::seconds(config.token_ttl_s)),
      cache_(pool, std::move(subscriber),
             signing::CacheOptions{std::chrono::milliseconds(config.resync_interval_ms)}),
      activations_(pool),
      batcher_(audit_log),
      workers_(worker_count(config.workers)),
      services_{apps,
                tokens_,
                cache_,
                batcher_,
                std::move(token),
                seals,
                workers_,
                api::SigningLimits{config.max_hashes, rsa_scheme(config.rsa_scheme),
                                   signing::RateLimit{config.rate_per_s, config.burst}},
                stats_,
                activations_,
                ca_certificate_der,
                rate_limiter_} {
  batcher_.on_batch = [this](std::size_t size, std::chrono::microseconds lag) {
    stats_.audit_batch_size.observe(static_cast<double>(size));
    stats_.audit_lag.observe(lag);
  };
  if (auto started = cache_.start(); !started) {
    spdlog::warn(
        "signing cache: first load failed ({}); it keeps retrying, and signs are "
        "refused until it succeeds",
        started.error().message);
  }
  resync_gauge_ = std::make_unique<PeriodicTask>(
      [this] { stats_.resync_age.set(std::chrono::duration<double>(cache_.resync_age()).count()); },
      std::chrono::seconds(1));
}

SigningStack::~SigningStack() {
  resync_gauge_.reset();
  workers_.join();
}

api::LocalChanges SigningStack::local_changes() {
  return {[this](std::string_view code) { log_failure("reload_seal", cache_.reload_seal(code)); },
          [this](std::string_view id) { log_failure("reload_app", cache_.reload_app(id)); },
          [this](std::string_view id) { log_failure("reload_grants", cache_.reload_grants(id)); }};
}

}  // namespace seald::server
