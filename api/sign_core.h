#pragma once

// The one signing path every door uses (/api/v1/sign, the CSC API): the
// caller's app from its Bearer token, the decision from the cache, the HSM
// signatures (raw or CMS), and the audit records, group-committed before
// anything is handed back. A door only translates its request into a
// SignJob and the outcome (or error code) into its own answer.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/sign_request.h"
#include "api/signing_services.h"
#include "core/error.h"
#include "server/handler.h"

namespace seald::api {

struct SignJob {
  std::string seal_code;
  hsm::HashAlgorithm hash_algorithm = hsm::HashAlgorithm::sha256;
  std::vector<std::vector<std::uint8_t>> hashes;  // lengths already checked
  SignFormat format = SignFormat::raw;
  // A scheme the client asked for (CSC signAlgo); unset: the seal key's own
  // (ECDSA, or signing.rsa_scheme for RSA). One that does not fit the key
  // is unsupported_algorithm.
  std::optional<hsm::SignScheme> scheme;
  std::string door = "api";  // recorded in each audit record
};

struct SignOutcome {
  std::vector<std::vector<std::uint8_t>> signatures;  // in the order of the hashes
  std::string algorithm_oid;
  std::vector<std::uint8_t> certificate_der;
  std::vector<std::string> audit_ids;
};

// What sign_for hands back. A rate_limited refusal also says when the same
// request would be admitted (the Retry-After both doors send); every other
// answer leaves retry_after unset.
struct SignResult {
  Result<SignOutcome> outcome;
  std::optional<std::chrono::seconds> retry_after;
};

using SignDone = std::function<void(SignResult)>;

// The calling app, from "Authorization: Bearer" and the cache. Errors:
// token_invalid, token_expired.
Result<signing::AppState> calling_app(SigningServices& s, const server::Request& request,
                                      const signing::Snapshot& snapshot);

// Signs for app on the current thread (a signing worker) and calls done
// exactly once: at once with a refusal or an HSM error, or from the audit
// committer once the records are acknowledged (audit_unavailable if not).
// Counts the outcome in the signing metrics.
//
// First of all the app's rate limit (its own, else the configured default)
// must admit one token per hash; over it the answer is rate_limited, which
// takes no tokens, touches no Redis and is not audited (a flood must not
// turn into audit writes). Any admitted request spends its tokens, whatever
// comes of it.
void sign_for(SigningServices& s, const server::RequestContext& context,
              const signing::AppState& app, SignJob job,
              std::chrono::steady_clock::time_point started, SignDone done);

// Sets Retry-After on a refusal that carries one.
void set_retry_after(server::Response& response, std::optional<std::chrono::seconds> retry_after);

// Counts a request refused before sign_for (no token, bad body).
void count_refusal(SigningServices& s, const std::string& app_client_id, const std::string& code,
                   std::chrono::steady_clock::time_point started);

}  // namespace seald::api
