// The signing door: POST /api/v1/sign and /api/v1/verify for registered
// apps with a Bearer token from /oauth2/token (token_route.cc).
//
// A sign request is checked against the in-process cache (app, grant, seal
// state), signed on the HSM on a signing worker, and answered only after
// the group committer has Redis' acknowledgement of one audit record per
// signature: no record, no signature (503 audit_unavailable). Refusals of an
// authenticated app are audited too, without waiting.

#include <chrono>
#include <memory>

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "api/error_status.h"
#include "api/request_parts.h"
#include "api/routes.h"
#include "api/sign_request.h"
#include "core/base64.h"
#include "hsm/signer.h"
#include "pki/cms_signed_data.h"
#include "pki/signature_check.h"
#include "server/json_response.h"
#include "signing/sign_decision.h"

namespace seald::api {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using server::Request;
using server::RequestContext;
using server::Responder;
using server::Response;
using server::http::status;
using server::http::verb;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string hex(const std::vector<std::uint8_t>& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

// token_invalid / token_expired also say how to authenticate (RFC 6750).
Response refusal(const Error& error) {
  Response response = error_response(error);
  if (error.code == "token_invalid" || error.code == "token_expired") {
    response.set(server::http::field::www_authenticate, "Bearer error=\"invalid_token\"");
  }
  return response;
}

// The calling app, from its Bearer token and the cache.
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

struct Signed {
  std::vector<std::string> signatures;  // base64
  std::string algorithm_oid;
  std::string certificate;  // base64 DER
  std::vector<audit::Record> records;
};

Result<Signed> sign_all(SigningServices& s, const RequestContext& context,
                        const signing::AppState& app, const signing::SealState& seal,
                        const SignRequest& request) {
  Signed out;
  auto scheme = scheme_for(s, seal);
  out.algorithm_oid = pki::signature_algorithm_oid(scheme, request.hash_algorithm);
  out.certificate = base64_encode(seal.certificate_der);
  pki::HashSigner sign_hash =
      [&](std::span<const std::uint8_t> hash) -> Result<std::vector<std::uint8_t>> {
    auto started = Clock::now();
    auto signature = hsm::sign_hash(*s.token, seal.key_id, scheme, request.hash_algorithm, hash);
    s.stats.hsm_latency.observe(Clock::now() - started);
    return signature;
  };
  for (const auto& hash : request.hashes) {
    auto signature = request.format == SignFormat::raw
                         ? sign_hash(hash)
                         : pki::build_detached_cms({seal.certificate_der, request.hash_algorithm,
                                                    hash, scheme, std::chrono::system_clock::now()},
                                                   sign_hash);
    if (!signature) {
      return hsm_failure(signature.error());
    }
    out.signatures.push_back(base64_encode(*signature));
    auto record = sign_record(context, app, seal.code, "ok");
    record.details = {{"app_id", app.id},
                      {"seal_code", seal.code},
                      {"certificate_serial", seal.certificate_serial},
                      {"hash_algorithm", std::string(hash_algorithm_name(request.hash_algorithm))},
                      {"hash", hex(hash)},
                      {"format", request.format == SignFormat::raw ? "raw" : "cms"}};
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

void sign(SigningServices& s, const Request& request, const RequestContext& context,
          Responder respond) {
  auto started = Clock::now();
  boost::asio::post(s.workers, [&s, &request, &context, respond, started] {
    auto snapshot = s.cache.current();
    auto app = calling_app(s, request, *snapshot);
    if (!app) {
      count(s, "unknown", app.error().code, started);
      respond(refusal(app.error()));
      return;
    }
    auto parsed = parse_sign_request(request.body(), s.limits.max_hashes);
    auto seal = parsed ? signing::decide(*snapshot, app->id, parsed->seal_code, now_ms())
                       : Result<const signing::SealState*>(parsed.error());
    if (!seal) {
      if (parsed) {
        // A refusal of a known app is part of its record; nobody waits on it.
        s.audit.submit({sign_record(context, *app, parsed->seal_code, seal.error().code)},
                       [](const Result<std::vector<audit::Record>>&) {});
      }
      count(s, app->client_id, seal.error().code, started);
      respond(refusal(seal.error()));
      return;
    }
    auto done = sign_all(s, context, *app, **seal, *parsed);
    if (!done) {
      count(s, app->client_id, done.error().code, started);
      respond(refusal(done.error()));
      return;
    }
    auto result = std::make_shared<Signed>(std::move(*done));
    auto records = std::move(result->records);
    s.audit.submit(std::move(records), [&s, result, respond, started, client = app->client_id](
                                           Result<std::vector<audit::Record>> committed) {
      if (!committed) {
        count(s, client, "audit_unavailable", started);
        respond(refusal(make_error("audit_unavailable",
                                   "the audit record could not be written; nothing was signed")));
        return;
      }
      json::array signatures, ids;
      for (auto& sig : result->signatures) {
        signatures.emplace_back(std::move(sig));
      }
      for (const auto& record : *committed) {
        ids.emplace_back(record.id);
      }
      count(s, client, "ok", started, committed->size());
      respond(server::json_response(status::ok,
                                    json::object{{"signatures", std::move(signatures)},
                                                 {"signature_algorithm", result->algorithm_oid},
                                                 {"certificate", result->certificate},
                                                 {"audit_ids", std::move(ids)}}));
    });
  });
}

// valid: does the signature check out against the seal's current
// certificate or one it had before a reissue; certificate_status says
// whether that certificate is good, revoked or expired now.
Result<Response> verify(SigningServices& s, const Request& request) {
  auto snapshot = s.cache.current();
  auto app = calling_app(s, request, *snapshot);
  if (!app) {
    return app.error();
  }
  auto parsed = parse_verify_request(request.body());
  if (!parsed) {
    return parsed.error();
  }
  auto seal = s.seals.get(parsed->seal_code);
  if (!seal) {
    return seal.error();
  }
  if (!seal->certificate) {
    return make_error("seal_not_cloud", "seal " + seal->code + " is a UKey seal");
  }
  auto key = hsm::parse_key_algorithm(seal->key_algorithm);
  std::vector<std::pair<const seals::Certificate*, bool>> candidates{{&*seal->certificate, true}};
  for (const auto& previous : seal->previous_certificates) {
    candidates.emplace_back(&previous, false);
  }
  bool valid = false;
  std::string certificate_status = "none";
  for (auto [cert, current] : candidates) {
    // A reissue may change the key's algorithm; try the schemes it allows.
    std::vector<hsm::SignScheme> schemes{hsm::SignScheme::ecdsa};
    if (!key || !hsm::is_ec(*key) || !current) {
      schemes = {hsm::SignScheme::ecdsa, hsm::SignScheme::rsa_pkcs1_v15, hsm::SignScheme::rsa_pss};
    }
    for (auto scheme : schemes) {
      auto ok = parsed->format == SignFormat::raw
                    ? pki::check_raw_signature(cert->der, scheme, parsed->hash_algorithm,
                                               parsed->hash, parsed->signature)
                    : pki::check_detached_cms(cert->der, parsed->hash_algorithm, parsed->hash,
                                              parsed->signature);
      if (ok && *ok) {
        valid = true;
        break;
      }
    }
    if (valid) {
      if (!current || seal->status == seals::SealStatus::revoked) {
        certificate_status = "revoked";
      } else if (seal->status == seals::SealStatus::expired) {
        certificate_status = "expired";
      } else {
        certificate_status = "good";
      }
      break;
    }
  }
  return server::json_response(status::ok,
                               json::object{{"valid", valid},
                                            {"seal_status", seals::to_string(seal->status)},
                                            {"certificate_status", certificate_status}});
}

}  // namespace

void add_sign_routes(server::Router& router, SigningServices& services) {
  router.add_async(verb::post, "/api/v1/sign", "sign",
                   [&services](const Request& r, const RequestContext& c, Responder respond) {
                     sign(services, r, c, std::move(respond));
                   });
  router.add_async(verb::post, "/api/v1/verify", "verify",
                   [&services](const Request& r, const RequestContext&, Responder respond) {
                     boost::asio::post(services.workers, [&services, &r, respond] {
                       auto result = verify(services, r);
                       respond(result ? std::move(*result) : refusal(result.error()));
                     });
                   });
}

}  // namespace seald::api
