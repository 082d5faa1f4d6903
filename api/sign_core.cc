#include "api/sign_core.h"

#include <memory>

#include "api/request_parts.h"
#include "core/base64.h"
#include "hsm/signer.h"
#include "pki/cms_signed_data.h"
#include "pki/signature_check.h"
#include "signing/sign_decision.h"

namespace seald::api {
namespace {

using Clock = std::chrono::steady_clock;
using server::Request;
using server::RequestContext;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

hsm::SignScheme scheme_for(const SigningServices& s, const signing::SealState& seal) {
  auto key = hsm::parse_key_algorithm(seal.key_algorithm);
  return key && hsm::is_ec(*key) ? hsm::SignScheme::ecdsa : s.limits.rsa_scheme;
}

// Any HSM failure reads as one code to the app; the detail stays in the log.
Error hsm_failure(const Error& error) {
  if (error.code == "hsm_unavailable") {
    return error;
  }
  return make_error("hsm_unavailable", "the HSM could not sign (" + error.code + ")");
}

audit::Record sign_record(const RequestContext& context, const signing::AppState& app,
                          std::string seal_code, std::string result) {
  audit::Record r;
  r.time_ms = now_ms();
  r.actor = "app:" + app.client_id;
  r.action = "sign";
  r.target = "seal:" + seal_code;
  r.result = std::move(result);
  r.request_id = context.request_id;
  r.client = context.remote.address().to_string();
  return r;
}

bool is_ec_key(const signing::SealState& seal) {
  auto key = hsm::parse_key_algorithm(seal.key_algorithm);
  return key && hsm::is_ec(*key);
}

bool scheme_fits(const signing::SealState& seal, hsm::SignScheme scheme) {
  return is_ec_key(seal) == (scheme == hsm::SignScheme::ecdsa);
}

struct Signed {
  SignOutcome outcome;
  std::vector<audit::Record> records;
};

Result<Signed> sign_all(SigningServices& s, const RequestContext& context,
                        const signing::AppState& app, const signing::SealState& seal,
                        const SignJob& job) {
  Signed out;
  auto scheme = job.scheme.value_or(scheme_for(s, seal));
  out.outcome.algorithm_oid = pki::signature_algorithm_oid(scheme, job.hash_algorithm);
  out.outcome.certificate_der = seal.certificate_der;
  pki::HashSigner sign_hash =
      [&](std::span<const std::uint8_t> hash) -> Result<std::vector<std::uint8_t>> {
    auto started = Clock::now();
    auto signature = hsm::sign_hash(*s.token, seal.key_id, scheme, job.hash_algorithm, hash);
    s.stats.hsm_latency.observe(Clock::now() - started);
    return signature;
  };
  for (const auto& hash : job.hashes) {
    auto signature = job.format == SignFormat::raw
                         ? sign_hash(hash)
                         : pki::build_detached_cms({seal.certificate_der, job.hash_algorithm, hash,
                                                    scheme, std::chrono::system_clock::now()},
                                                   sign_hash);
    if (!signature) {
      return hsm_failure(signature.error());
    }
    out.outcome.signatures.push_back(std::move(*signature));
    auto record = sign_record(context, app, seal.code, "ok");
    record.details = {{"app_id", app.id},
                      {"seal_code", seal.code},
                      {"certificate_serial", seal.certificate_serial},
                      {"hash_algorithm", std::string(hash_algorithm_name(job.hash_algorithm))},
                      {"hash", hex_encode(hash)},
                      {"format", job.format == SignFormat::raw ? "raw" : "cms"},
                      {"door", job.door}};
    out.records.push_back(std::move(record));
  }
  return out;
}

// Counts signatures made (ok) or requests refused (by error code).
void count(SigningServices& s, const std::string& app, const std::string& result,
           Clock::time_point started, std::size_t n = 1) {
  s.stats.signatures.with({app, result}).inc(n);
  s.stats.sign_latency.observe(Clock::now() - started);
}

}  // namespace

Result<signing::AppState> calling_app(SigningServices& s, const Request& request,
                                      const signing::Snapshot& snapshot) {
  auto token = bearer_token(request);
  if (!token) {
    return make_error("token_invalid", "send 'Authorization: Bearer <token from /oauth2/token>'");
  }
  auto owner = s.tokens.resolve(*token);
  if (!owner) {
    return owner.error();
  }
  auto it = snapshot.apps.find(owner->app_id);
  if (it == snapshot.apps.end()) {
    return make_error("token_invalid", "the token's app is not registered");
  }
  return it->second;
}

void count_refusal(SigningServices& s, const std::string& app_client_id, const std::string& code,
                   Clock::time_point started) {
  count(s, app_client_id, code, started);
}

void set_retry_after(server::Response& response, std::optional<std::chrono::seconds> retry_after) {
  if (retry_after) {
    response.set(server::http::field::retry_after, std::to_string(retry_after->count()));
  }
}

void sign_for(SigningServices& s, const RequestContext& context, const signing::AppState& app,
              SignJob job, Clock::time_point started, SignDone done) {
  auto admission = s.rate_limiter.admit(app.id, app.rate_limit.value_or(s.limits.default_rate),
                                        job.hashes.size());
  if (!admission.admitted) {
    auto wait = signing::retry_after(admission.wait);
    count(s, app.client_id, "rate_limited", started);
    done({make_error("rate_limited", "app " + app.client_id + " is over its signing rate limit; " +
                                         "retry in " + std::to_string(wait.count()) + " s"),
          wait});
    return;
  }
  auto snapshot = s.cache.current();
  auto seal = signing::decide(*snapshot, app.id, job.seal_code, now_ms());
  if (seal && job.scheme && !scheme_fits(**seal, *job.scheme)) {
    seal = make_error("unsupported_algorithm", "seal " + job.seal_code + "'s key (" +
                                                   (*seal)->key_algorithm + ") cannot sign with " +
                                                   std::string(hsm::name(*job.scheme)));
  }
  if (!seal) {
    // A refusal of a known app is part of its record; nobody waits on it.
    s.audit.submit({sign_record(context, app, job.seal_code, seal.error().code)},
                   [](const Result<std::vector<audit::Record>>&) {});
    count(s, app.client_id, seal.error().code, started);
    done({seal.error(), std::nullopt});
    return;
  }
  auto signed_ = sign_all(s, context, app, **seal, job);
  if (!signed_) {
    count(s, app.client_id, signed_.error().code, started);
    done({signed_.error(), std::nullopt});
    return;
  }
  auto outcome = std::make_shared<SignOutcome>(std::move(signed_->outcome));
  s.audit.submit(std::move(signed_->records),
                 [&s, outcome, done = std::move(done), started,
                  client = app.client_id](Result<std::vector<audit::Record>> committed) {
                   if (!committed) {
                     count(s, client, "audit_unavailable", started);
                     done({make_error("audit_unavailable",
                                      "the audit record could not be written; nothing was signed"),
                           std::nullopt});
                     return;
                   }
                   for (const auto& record : *committed) {
                     outcome->audit_ids.push_back(record.id);
                   }
                   count(s, client, "ok", started, committed->size());
                   done({std::move(*outcome), std::nullopt});
                 });
}

}  // namespace seald::api
