// The follow-up steps of lifecycle changes (the cleanup marker) and the
// periodic upkeep: expiring seals past their validity, retrying steps that
// failed.

#include <spdlog/spdlog.h>

#include <charconv>

#include "hsm/keys.h"
#include "seals/lifecycle.h"
#include "seals/seal_record.h"

namespace seald::seals {
namespace {

using Clock = std::chrono::system_clock;

// Who expired a seal: no person did.
constexpr std::string_view kMaintenance = "system";

std::int64_t to_ms(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Error cleanup_pending(std::string_view code, const Error& cause) {
  return make_error("seal_cleanup_pending",
                    "seal " + std::string(code) +
                        ": the change stands, but a follow-up step failed and will be retried (" +
                        cause.code + ": " + cause.message + ")");
}

}  // namespace

Status SealLifecycle::run_step(const Seal& seal, std::string_view step, std::string_view detail) {
  if (step.starts_with(kRevokeCertificate)) {
    auto space = detail.find(' ');
    std::string reason(detail.substr(0, space));
    std::int64_t at_ms = 0;
    if (space != std::string_view::npos) {
      auto rest = detail.substr(space + 1);
      std::from_chars(rest.data(), rest.data() + rest.size(), at_ms);
    }
    return ca_.revoke(std::string(step.substr(kRevokeCertificate.size())), at_ms, reason);
  }
  if (step.starts_with(kDestroyKey)) {
    auto s = hsm::destroy_key_pair(*token_, step.substr(kDestroyKey.size()));
    if (!s && s.error().code == "key_not_found") {
      return {};  // an earlier attempt got this far
    }
    return s;
  }
  if (step == kRemoveGrants) {
    if (!remove_grants_) {
      return make_error("grants_not_configured", "no way to remove the seal's grants was given");
    }
    return remove_grants_(seal.code);
  }
  return make_error("cleanup_step_unknown", "unknown cleanup step " + std::string(step));
}

Status SealLifecycle::finish_pending(std::string_view seal_code) {
  auto seal = store_.get(seal_code);
  if (!seal) {
    return seal.error();
  }
  // Every step is tried even when one fails: they do not depend on each
  // other, and a broken grants store must not keep a key alive.
  std::optional<Error> failed;
  for (const auto& [step, detail] : seal->cleanup) {
    Status done = run_step(*seal, step, detail);
    if (done) {
      done = store_.finish_cleanup_step(seal->code, step);
    }
    if (!done) {
      spdlog::warn("seal {}: cleanup step {} failed: {}", seal->code, step, done.error().code);
      if (!failed) {
        failed = done.error();
      }
    }
  }
  if (failed) {
    return cleanup_pending(seal->code, *failed);
  }
  return {};
}

Result<std::size_t> SealLifecycle::maintain(Clock::time_point now) {
  std::int64_t now_ms = to_ms(now);
  auto due = store_.due_to_expire(now_ms);
  if (!due) {
    return due.error();
  }
  std::size_t expired = 0;
  for (const auto& candidate : *due) {
    SealChange change{candidate.version,
                      SealStatus::expired,
                      now_ms,
                      std::string(kMaintenance),
                      "validity ended",
                      "",
                      {}};
    auto changed = store_.change_status(candidate.code, change);
    if (changed) {
      ++expired;
      spdlog::info("seal {}: expired (version {})", candidate.code, changed->version);
    } else if (changed.error().code == "redis_unavailable") {
      return changed.error();
    }
    // Any other refusal means the seal changed since it was listed; the
    // next run decides again on what it is then.
  }
  auto pending = store_.codes_with_cleanup();
  if (!pending) {
    return pending.error();
  }
  for (const auto& code : *pending) {
    if (auto s = finish_pending(code); !s) {
      spdlog::warn("seal {}: cleanup still pending: {}", code, s.error().code);
    }
  }
  return expired;
}

}  // namespace seald::seals
