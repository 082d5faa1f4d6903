#pragma once

// The CSC operations, written once for both dialects; csc_routes.cc mounts
// them under /csc/v2 and /csc/v1. Each runs on a signing worker.

#include <chrono>
#include <functional>
#include <optional>

#include <boost/json/object.hpp>

#include "api/csc_common.h"
#include "api/signing_services.h"
#include "server/handler.h"

namespace seald::api::csc {

using Answer = Result<boost::json::object>;

// No authentication: what the service is and what it can do.
boost::json::object info(const server::Request& request, Dialect dialect);

Answer list_credentials(SigningServices& s, const server::Request& request, Dialect dialect);
Answer credential_info(SigningServices& s, const server::Request& request, Dialect dialect);
Answer authorize(SigningServices& s, const server::Request& request, Dialect dialect);

// Calls done exactly once, from sign_for's completion when it gets that far;
// a rate_limited refusal comes with its Retry-After.
using SignHashDone = std::function<void(Answer, std::optional<std::chrono::seconds> retry_after)>;
void sign_hash(SigningServices& s, const server::Request& request,
               const server::RequestContext& context, Dialect dialect,
               std::chrono::steady_clock::time_point started, SignHashDone done);

struct SignatureChoice {
  hsm::SignScheme scheme;
  hsm::HashAlgorithm hash;
};

// signAlgo (+ the hash algorithm OID and signAlgoParams the client gave)
// → what the HSM does. hash_field names the hash member in errors
// (hashAlgorithmOID or hashAlgo). Errors: invalid_request.
Result<SignatureChoice> choose_signature(std::string_view sign_algo,
                                         const std::optional<std::string>& hash_oid,
                                         const std::optional<std::string>& params_b64,
                                         std::string_view hash_field);

}  // namespace seald::api::csc
