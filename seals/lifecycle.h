#pragma once

// What happens to a seal after it is made (manual §5 "我申请的印章" /
// "我管理的印章"; ARCHITECTURE.md "Seal states"):
//
//   active --report_loss--> suspended --restore--> active
//   active | suspended --reissue--> active   (new key and certificate, same code)
//   active | suspended | expired --revoke--> revoked   (final)
//   active | suspended --(not_after passes)--> expired
//
// Each change is a compare-and-set on the seal record's version (every
// change bumps it, so the state a decision was made on is still the state
// when it is written) in one Lua script that also publishes
// {"type":"seal","code","status","version"} on seald:changes, so signing stops
// in the same step as the state changes. Work outside Redis follows the
// state change and is idempotent:
// - revoke: the certificate goes on the CA's revocation list
//   (cessationOfOperation), the key pair is destroyed on the token and the
//   seal's grants are dropped (through the remove_grants callback: grants/
//   depends on seals, not the reverse);
// - reissue: a new key pair (key id "<code>.<n>", n from a per-seal counter:
//   1 for the first reissue, and a number taken by a failed attempt is never
//   reused) and a certificate running from now to the seal's unchanged
//   not_after are made first; the record then switches to them in one
//   step, keeping the old certificate in previous_certificates; after that
//   the old certificate is revoked (superseded) and the old key destroyed.
// If a step after the state change fails, the record keeps a `cleanup`
// marker; finish_pending() (run by maintain(), and by the next change of the
// same seal) completes it, and the call reports seal_cleanup_pending. The
// seal's state is never rolled back: a revoked seal stays revoked.
//
// Who may act is the caller's business; the operator's path through an
// application is carry_out().

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "hsm/algorithms.h"
#include "seals/seal.h"
#include "seals/seal_store.h"
#include "seals/seals.h"

namespace seald::seals {

enum class LifecycleAction { report_loss, restore, reissue, revoke };

// "report_loss", "restore", "reissue", "revoke" (the application kinds' wire names).
std::string_view to_string(LifecycleAction action);
std::optional<LifecycleAction> parse_lifecycle_action(std::string_view s);

// Whether the action is allowed on a seal in this state, and the state it
// leads to. ukey seals: report_loss, restore and revoke only (their key is
// not ours to replace), and revoke touches no key or certificate.
std::optional<SealStatus> lifecycle_target(LifecycleAction action, SealStatus from,
                                           std::string_view usage);

struct LifecycleRequest {
  LifecycleAction action = LifecycleAction::report_loss;
  // The seal version the caller read; 0 skips the check (the application
  // path, whose application version already guards the decision).
  std::int64_t expected_version = 0;
  std::string actor_id;
  std::string reason;  // free text for the record; required by the HTTP layer
  // reissue only: the new key's algorithm; unset keeps the current one.
  std::optional<hsm::KeyAlgorithm> algorithm;
};

class SealLifecycle {
 public:
  using RemoveGrants = std::function<Status(std::string_view seal_code)>;

  SealLifecycle(redis::Pool& pool, hsm::TokenPtr token, pki::CertificateAuthority& ca,
                workflow::Workflow& workflow, orgs::OrgStore& orgs, RemoveGrants remove_grants);

  // Applies one change to one seal and returns the seal as it now is.
  // Errors: seal_not_found, seal_version_conflict, seal_status_conflict (the
  // action is not allowed in the seal's state or for its usage; the message
  // says why), seal_cleanup_pending (the change stands, a follow-up step
  // failed and will be retried), or the HSM's, the CA's and Redis' own.
  Result<Seal> apply(std::string_view seal_code, const LifecycleRequest& request);

  // The operator's step on an approved revoke / reissue / report_loss /
  // restore application in pending_make: applies the change to the
  // application's seal, then completes the application. Errors:
  // application_not_found, application_not_executable (not one of those
  // kinds in pending_make, or the seal is not the application's org's),
  // application_version_conflict, and apply()'s. The seal records which
  // application changed it, so after a failure to complete the application
  // a second call only completes it. On seal_cleanup_pending the
  // application is completed all the same (the change stands).
  Result<Seal> carry_out(std::string_view application_id, std::int64_t expected_version,
                         std::string_view operator_id, std::string_view comment,
                         std::optional<hsm::KeyAlgorithm> algorithm = std::nullopt);

  // Completes the follow-up steps recorded in the seal's cleanup marker.
  // Idempotent; succeeds at once when there is nothing to do.
  Status finish_pending(std::string_view seal_code);

  // Marks every active or suspended seal whose not_after has passed as
  // expired (each one CAS + notice), and retries pending cleanups. Returns
  // how many seals it expired. Run by the node periodically.
  Result<std::size_t> maintain(std::chrono::system_clock::time_point now);

 private:
  Result<Seal> change(std::string_view code, const LifecycleRequest& request,
                      std::string_view application_id);
  Result<Seal> reissue(const Seal& seal, SealChange change,
                       std::optional<hsm::KeyAlgorithm> requested);
  Status run_step(const Seal& seal, std::string_view step, std::string_view detail);

  SealStore store_;
  hsm::TokenPtr token_;
  pki::CertificateAuthority& ca_;
  workflow::Workflow& workflow_;
  orgs::OrgStore& orgs_;
  RemoveGrants remove_grants_;
};

}  // namespace seald::seals
