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
#include "api/sign_core.h"
#include "api/sign_request.h"
#include "core/base64.h"
#include "pki/signature_check.h"
#include "server/json_response.h"

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

// token_invalid / token_expired also say how to authenticate (RFC 6750).
Response refusal(const Error& error) {
  Response response = error_response(error);
  if (error.code == "token_invalid" || error.code == "token_expired") {
    response.set(server::http::field::www_authenticate, "Bearer error=\"invalid_token\"");
  }
  return response;
}

void sign(SigningServices& s, const Request& request, const RequestContext& context,
          Responder respond) {
  auto started = Clock::now();
  boost::asio::post(s.workers, [&s, &request, &context, respond, started] {
    auto app = calling_app(s, request, *s.cache.current());
    if (!app) {
      count_refusal(s, "unknown", app.error().code, started);
      respond(refusal(app.error()));
      return;
    }
    auto parsed = parse_sign_request(request.body(), s.limits.max_hashes);
    if (!parsed) {
      count_refusal(s, app->client_id, parsed.error().code, started);
      respond(refusal(parsed.error()));
      return;
    }
    SignJob job{parsed->seal_code, parsed->hash_algorithm, std::move(parsed->hashes),
                parsed->format,    std::nullopt,           "api"};
    sign_for(s, context, *app, std::move(job), started, [respond](SignResult result) {
      auto& outcome = result.outcome;
      if (!outcome) {
        Response response = refusal(outcome.error());
        set_retry_after(response, result.retry_after);
        respond(std::move(response));
        return;
      }
      json::array signatures, ids;
      for (const auto& sig : outcome->signatures) {
        signatures.emplace_back(base64_encode(sig));
      }
      for (auto& id : outcome->audit_ids) {
        ids.emplace_back(std::move(id));
      }
      respond(server::json_response(
          status::ok, json::object{{"signatures", std::move(signatures)},
                                   {"signature_algorithm", outcome->algorithm_oid},
                                   {"certificate", base64_encode(outcome->certificate_der)},
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
