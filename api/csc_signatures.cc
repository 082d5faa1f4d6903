// signatures/signHash: a CSC request turned into a SignJob for sign_for,
// the one signing path (grant and seal state from the cache, HSM, audit
// committed before the answer, metrics). What CSC adds is the SAD check
// and the algorithm identifiers.

#include <boost/json.hpp>

#include "api/csc_handlers.h"
#include "api/sign_core.h"
#include "core/base64.h"

namespace seald::api::csc {
namespace {

namespace json = boost::json;

struct Names {
  std::string_view hashes, hash_algorithm;
};

Names names(Dialect dialect) {
  return dialect == Dialect::v2 ? Names{"hashes", "hashAlgorithmOID"} : Names{"hash", "hashAlgo"};
}

struct Parsed {
  std::string credential_id;
  std::optional<std::string> sad;
  SignatureChoice choice;
  std::vector<std::vector<std::uint8_t>> hashes;
};

Result<Parsed> parse(const SigningServices& s, std::string_view text, Dialect dialect) {
  Names n = names(dialect);
  auto body = parse_body(text);
  if (!body) {
    return body.error();
  }
  auto code = require_string(*body, "credentialID");
  auto sad = get_string(*body, "SAD");
  auto hashes = get_strings(*body, n.hashes);
  auto hash_oid = get_string(*body, n.hash_algorithm);
  auto sign_algo = require_string(*body, "signAlgo");
  auto params = get_string(*body, "signAlgoParams");
  auto mode = get_string(*body, "operationMode");
  if (!code) {
    return code.error();
  }
  if (!sad) {
    return sad.error();
  }
  if (!hashes) {
    return hashes.error();
  }
  if (!*hashes) {
    return invalid_request("Missing (or invalid type) array parameter " + std::string(n.hashes));
  }
  if (!hash_oid) {
    return hash_oid.error();
  }
  if (!sign_algo) {
    return sign_algo.error();
  }
  if (!params) {
    return params.error();
  }
  if (!mode) {
    return mode.error();
  }
  if (*mode && **mode != "S") {
    return invalid_request("Invalid parameter operationMode (only synchronous, \"S\")");
  }
  auto choice = choose_signature(*sign_algo, *hash_oid, *params, n.hash_algorithm);
  if (!choice) {
    return choice.error();
  }
  auto decoded = decode_hashes(**hashes, choice->hash, s.limits.max_hashes);
  if (!decoded) {
    return decoded.error();
  }
  return Parsed{std::move(*code), std::move(*sad), *choice, std::move(*decoded)};
}

// The SAD is redeemed (and so spent) before it is compared, so a wrong
// request cannot be retried against the same SAD.
Status check_sad(SigningServices& s, const signing::AppState& app, const Parsed& p) {
  auto activation = s.activations.redeem(*p.sad);
  if (!activation) {
    return activation.error();
  }
  bool same = activation->app_id == app.id && activation->credential_id == p.credential_id &&
              activation->num_signatures == static_cast<std::int64_t>(p.hashes.size());
  if (same && !activation->hashes.empty()) {
    same = activation->hashes.size() == p.hashes.size();
    for (std::size_t i = 0; same && i < p.hashes.size(); ++i) {
      same = activation->hashes[i] == hex_encode(p.hashes[i]);
    }
  }
  if (!same) {
    return make_error("sad_invalid", "the SAD was issued for another credential, count or hashes");
  }
  return {};
}

}  // namespace

void sign_hash(SigningServices& s, const server::Request& request,
               const server::RequestContext& context, Dialect dialect,
               std::chrono::steady_clock::time_point started, SignHashDone done) {
  auto app = calling_app(s, request, *s.cache.current());
  if (!app) {
    count_refusal(s, "unknown", app.error().code, started);
    done(app.error(), std::nullopt);
    return;
  }
  auto parsed = parse(s, request.body(), dialect);
  if (parsed && parsed->sad) {
    if (auto ok = check_sad(s, *app, *parsed); !ok) {
      parsed = ok.error();
    }
  }
  if (!parsed) {
    count_refusal(s, app->client_id, parsed.error().code, started);
    done(parsed.error(), std::nullopt);
    return;
  }
  SignJob job{std::move(parsed->credential_id),
              parsed->choice.hash,
              std::move(parsed->hashes),
              SignFormat::raw,
              parsed->choice.scheme,
              "csc"};
  sign_for(s, context, *app, std::move(job), started, [done](SignResult result) {
    auto& outcome = result.outcome;
    if (!outcome) {
      done(outcome.error(), result.retry_after);
      return;
    }
    json::array signatures;
    for (const auto& sig : outcome->signatures) {
      signatures.emplace_back(base64_encode(sig));
    }
    done(json::object{{"signatures", std::move(signatures)}}, std::nullopt);
  });
}

}  // namespace seald::api::csc
