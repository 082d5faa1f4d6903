#include "signing/sign_decision.h"

#include <string>

namespace seald::signing {
namespace {

Error seal_error(const char* code, std::string_view seal_code, const char* what) {
  return make_error(code, "seal " + std::string(seal_code) + " " + what);
}

}  // namespace

Result<const SealState*> decide(const Snapshot& snapshot, std::string_view app_id,
                                std::string_view seal_code, std::int64_t now_ms) {
  auto app = snapshot.apps.find(app_id);
  if (app == snapshot.apps.end()) {
    // The token resolved, but its app is not registered: to the caller that
    // is simply a token that is no good.
    return make_error("token_invalid", "the access token's app is not registered");
  }
  if (app->second.status != apps::AppStatus::enabled) {
    return make_error("app_disabled", "app " + app->second.client_id + " is disabled");
  }
  auto seal = snapshot.seals.find(seal_code);
  if (seal == snapshot.seals.end()) {
    return seal_error("seal_not_found", seal_code, "does not exist");
  }
  // The same rule the seal pages use, so an operator and a signer never
  // disagree about whether a seal has expired.
  seals::Seal probe;
  probe.status = seal->second.status;
  probe.not_after_ms = seal->second.not_after_ms;
  switch (seals::effective_status(probe, now_ms)) {
    case seals::SealStatus::revoked:
      return seal_error("seal_revoked", seal_code, "is revoked");
    case seals::SealStatus::suspended:
      return seal_error("seal_suspended", seal_code, "is suspended (reported lost)");
    case seals::SealStatus::expired:
      return seal_error("seal_expired", seal_code, "is past its validity");
    case seals::SealStatus::active:
      break;
  }
  if (seal->second.usage != "cloud") {
    return seal_error("seal_not_cloud", seal_code, "is a UKey seal; its key is not here");
  }
  // The grant comes last: a revoked seal has lost its grants, and its
  // holder should hear "revoked", not "not granted".
  bool granted = false;
  if (app->second.kind == apps::AppKind::cloud) {
    auto codes = snapshot.grants.find(app_id);
    granted = codes != snapshot.grants.end() && codes->second.contains(seal_code);
  }
  if (!granted) {
    return seal_error("seal_not_granted", seal_code, "is not granted to this app");
  }
  return &seal->second;
}

}  // namespace seald::signing
