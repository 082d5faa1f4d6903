#include "seals/lifecycle.h"

#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <utility>

#include "hsm/keys.h"
#include "seals/seal_record.h"

namespace seald::seals {
namespace {

using Clock = std::chrono::system_clock;

// Without an expected version the caller wants the change made if it is
// still allowed, so a race with another change is re-decided on fresh data
// a few times before it is reported.
constexpr int kAttempts = 3;

constexpr std::array<std::pair<LifecycleAction, std::string_view>, 4> kActions{{
    {LifecycleAction::report_loss, "report_loss"},
    {LifecycleAction::restore, "restore"},
    {LifecycleAction::reissue, "reissue"},
    {LifecycleAction::revoke, "revoke"},
}};

std::int64_t to_ms(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// The marker keeps the revocation's reason and time, so a retry revokes
// with the moment of the change, not of the retry.
std::string revocation(std::string_view reason, std::int64_t at_ms) {
  return std::string(reason) + " " + std::to_string(at_ms);
}

std::optional<LifecycleAction> action_of(workflow::Kind kind) {
  switch (kind) {
    case workflow::Kind::revoke:
      return LifecycleAction::revoke;
    case workflow::Kind::reissue:
      return LifecycleAction::reissue;
    case workflow::Kind::report_loss:
      return LifecycleAction::report_loss;
    case workflow::Kind::restore:
      return LifecycleAction::restore;
    default:
      return std::nullopt;
  }
}

std::string refusal(LifecycleAction action, SealStatus from, const Seal& seal) {
  std::string who = "seal " + seal.code;
  if (from == SealStatus::revoked) {
    return who + " is revoked; nothing more can be done with it";
  }
  if (action == LifecycleAction::reissue && seal.usage != "cloud") {
    return who + " is a " + seal.usage +
           " seal: its key is on the holder's UKey, so it cannot be reissued here";
  }
  if (from == SealStatus::expired) {
    return who + " has expired; it can only be revoked";
  }
  std::string now = " is " + std::string(to_string(from));
  if (action == LifecycleAction::report_loss) {
    return who + now + "; only an active seal can be reported lost";
  }
  return who + now + "; only a suspended seal can be restored";
}

// A ukey seal's key and certificate are not ours: its revocation is the
// state change alone.
void add_revoke_steps(const Seal& seal, SealChange& change) {
  if (seal.usage != "cloud") {
    return;
  }
  if (seal.certificate) {
    change.cleanup.emplace(std::string(kRevokeCertificate) + seal.certificate->serial_hex,
                           revocation("cessationOfOperation", change.at_ms));
  }
  if (!seal.key_id.empty()) {
    change.cleanup.emplace(std::string(kDestroyKey) + seal.key_id, "");
  }
  change.cleanup.emplace(kRemoveGrants, "");
}

}  // namespace

std::string_view to_string(LifecycleAction action) {
  for (const auto& [a, name] : kActions) {
    if (a == action) {
      return name;
    }
  }
  return "unknown";
}

std::optional<LifecycleAction> parse_lifecycle_action(std::string_view s) {
  for (const auto& [a, name] : kActions) {
    if (name == s) {
      return a;
    }
  }
  return std::nullopt;
}

std::optional<SealStatus> lifecycle_target(LifecycleAction action, SealStatus from,
                                           std::string_view usage) {
  bool live = from == SealStatus::active || from == SealStatus::suspended;
  switch (action) {
    case LifecycleAction::report_loss:
      return from == SealStatus::active ? std::optional(SealStatus::suspended) : std::nullopt;
    case LifecycleAction::restore:
      return from == SealStatus::suspended ? std::optional(SealStatus::active) : std::nullopt;
    case LifecycleAction::reissue:
      return live && usage == "cloud" ? std::optional(SealStatus::active) : std::nullopt;
    case LifecycleAction::revoke:
      return live || from == SealStatus::expired ? std::optional(SealStatus::revoked)
                                                 : std::nullopt;
  }
  return std::nullopt;
}

SealLifecycle::SealLifecycle(redis::Pool& pool, hsm::TokenPtr token, pki::CertificateAuthority& ca,
                             workflow::Workflow& workflow, orgs::OrgStore& orgs,
                             RemoveGrants remove_grants)
    : store_(pool),
      token_(std::move(token)),
      ca_(ca),
      workflow_(workflow),
      orgs_(orgs),
      remove_grants_(std::move(remove_grants)) {}

Result<Seal> SealLifecycle::apply(std::string_view seal_code, const LifecycleRequest& request) {
  return change(seal_code, request, {});
}

Result<Seal> SealLifecycle::change(std::string_view code, const LifecycleRequest& request,
                                   std::string_view application_id) {
  for (int attempt = 1;; ++attempt) {
    auto seal = store_.get(code);
    if (!seal) {
      return seal.error();
    }
    if (request.expected_version != 0 && seal->version != request.expected_version) {
      return make_error("seal_version_conflict", "seal " + seal->code + " changed; read it again");
    }
    std::int64_t now = to_ms(Clock::now());
    SealStatus from = effective_status(*seal, now);
    auto target = lifecycle_target(request.action, from, seal->usage);
    if (!target) {
      return make_error("seal_status_conflict", refusal(request.action, from, *seal));
    }
    SealChange change{seal->version,
                      *target,
                      now,
                      request.actor_id,
                      request.reason,
                      std::string(application_id),
                      {}};
    if (request.action == LifecycleAction::revoke) {
      add_revoke_steps(*seal, change);
    }
    Result<Seal> changed = request.action == LifecycleAction::reissue
                               ? reissue(*seal, change, request.algorithm)
                               : store_.change_status(code, change);
    if (!changed) {
      bool raced = changed.error().code == "seal_version_conflict";
      if (raced && request.expected_version == 0 && attempt < kAttempts) {
        continue;
      }
      return changed.error();
    }
    spdlog::info("seal {}: {} by {} -> {} (version {})", changed->code, to_string(request.action),
                 request.actor_id, to_string(changed->status), changed->version);
    // Earlier steps still waiting are done now too: the next change of a
    // seal is one of the moments its marker is retried.
    if (!changed->cleanup.empty()) {
      if (auto s = finish_pending(code); !s) {
        return s.error();
      }
      changed->cleanup.clear();
    }
    changed->status = effective_status(*changed, now);
    return changed;
  }
}

Result<Seal> SealLifecycle::reissue(const Seal& seal, SealChange change,
                                    std::optional<hsm::KeyAlgorithm> requested) {
  auto algorithm = requested ? requested : hsm::parse_key_algorithm(seal.key_algorithm);
  if (!algorithm) {
    return make_error("key_algorithm_invalid",
                      "seal " + seal.code + " has no known key algorithm; name one");
  }
  auto org = orgs_.get(seal.org_id);
  if (!org) {
    return org.error();
  }
  auto n = store_.next_key_number(seal.code);
  if (!n) {
    return n.error();
  }
  std::string key_id = seal.code + "." + std::to_string(*n);
  if (auto s = hsm::generate_key_pair(*token_, *algorithm, key_id, "seal " + key_id); !s) {
    return s.error();
  }
  // Until the record points at the new key, nothing uses it: any failure
  // takes it away again. Its certificate, if one was issued, was never
  // handed out and certifies a key that no longer exists.
  auto undo = [&](const Error& e) -> Error {
    if (auto s = hsm::destroy_key_pair(*token_, key_id); !s) {
      spdlog::error("seal {}: could not destroy unused key {}: {}", seal.code, key_id,
                    s.error().code);
    }
    return e;
  };
  auto public_key = hsm::public_key_der(*token_, key_id);
  if (!public_key) {
    return undo(public_key.error());
  }
  // The new certificate runs from now to the end of the seal's validity:
  // reissue replaces the key, not the period the seal was approved for.
  auto issued =
      ca_.issue_seal_certificate({seal.name, org->name, seal.code, org->credit_code, *public_key,
                                  Clock::time_point(std::chrono::milliseconds(change.at_ms)),
                                  Clock::time_point(std::chrono::milliseconds(seal.not_after_ms))});
  if (!issued) {
    return undo(issued.error());
  }
  if (seal.certificate) {
    change.cleanup.emplace(std::string(kRevokeCertificate) + seal.certificate->serial_hex,
                           revocation("superseded", change.at_ms));
  }
  if (!seal.key_id.empty()) {
    change.cleanup.emplace(std::string(kDestroyKey) + seal.key_id, "");
  }
  NewKey next{key_id, std::string(hsm::name(*algorithm)),
              Certificate{issued->serial_hex, std::move(issued->der)}};
  auto switched = store_.switch_key(seal.code, change, next);
  if (!switched) {
    return undo(switched.error());
  }
  return switched;
}

Result<Seal> SealLifecycle::carry_out(std::string_view application_id,
                                      std::int64_t expected_version, std::string_view operator_id,
                                      std::string_view comment,
                                      std::optional<hsm::KeyAlgorithm> algorithm) {
  auto app = workflow_.get(application_id);
  if (!app) {
    return app.error();
  }
  auto action = action_of(app->kind);
  if (!action || app->state != workflow::State::pending_make) {
    return make_error("application_not_executable",
                      "application " + app->id + " (" +
                          std::string(workflow::to_string(app->kind)) + ", " +
                          std::string(workflow::to_string(app->state)) +
                          ") is not a seal change waiting to be carried out");
  }
  if (app->version != expected_version) {
    return make_error("application_version_conflict",
                      "application " + app->id + " changed; read it again");
  }
  auto seal = store_.get(app->form.seal_code);
  if (!seal) {
    return seal.error();
  }
  if (seal->org_id != app->form.org_id) {
    return make_error("application_not_executable",
                      "seal " + seal->code + " does not belong to org " + app->form.org_id +
                          " named in application " + app->id);
  }
  std::optional<Error> pending;
  if (seal->change_application_id == app->id) {
    // An earlier attempt changed the seal but did not complete the
    // application: only the completion is left.
    seal->status = effective_status(*seal, to_ms(Clock::now()));
  } else {
    LifecycleRequest request{*action, 0, std::string(operator_id), app->form.reason, algorithm};
    seal = change(app->form.seal_code, request, app->id);
    if (!seal) {
      if (seal.error().code != "seal_cleanup_pending") {
        return seal.error();
      }
      pending = seal.error();  // the change stands, so the application is done
    }
  }
  auto done = workflow_.complete(app->id, expected_version, operator_id, comment);
  if (!done) {
    return done.error();
  }
  if (pending) {
    return *pending;
  }
  return seal;
}

}  // namespace seald::seals
