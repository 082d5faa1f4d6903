// SealStore's lifecycle writes and the reads maintenance needs: each change
// is one Lua script from seal_scripts.cc.

#include <charconv>
#include <string>

#include "seals/seal_record.h"
#include "seals/seal_scripts.h"
#include "seals/seal_store.h"

namespace seald::seals {
namespace {

// Records are read in slices so a large registry never makes one huge reply.
constexpr std::size_t kScanBatch = 256;

std::int64_t to_int(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::string_view as_view(const redisReply* r) {
  return r != nullptr && r->type == REDIS_REPLY_STRING ? std::string_view(r->str, r->len)
                                                       : std::string_view();
}

Error not_found(std::string_view code) {
  return make_error("seal_not_found", "seal " + std::string(code) + " does not exist");
}

// Both scripts take the marker's steps last, as step/detail pairs.
void append_cleanup(std::vector<std::string_view>& args, const SealChange& change) {
  for (const auto& [step, detail] : change.cleanup) {
    args.push_back(step);
    args.push_back(detail);
  }
}

}  // namespace

Result<Seal> SealStore::run_change(std::vector<std::string_view> args, std::string_view code) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command(args);
  if (!reply) {
    return reply.error();
  }
  if (reply->type() != REDIS_REPLY_ARRAY) {
    if (reply->str() == "version_conflict") {
      return make_error("seal_version_conflict",
                        "seal " + std::string(code) + " changed; read it again");
    }
    return not_found(code);
  }
  return parse_seal_record(reply->raw());
}

Result<Seal> SealStore::change_status(std::string_view code, const SealChange& change) {
  std::string key = seal_key(code);
  std::string seen = std::to_string(change.seen_version);
  std::string at = std::to_string(change.at_ms);
  std::vector<std::string_view> args{"EVAL",
                                     scripts::kChangeStatus,
                                     "2",
                                     key,
                                     kSealsWithCleanup,
                                     code,
                                     seen,
                                     to_string(change.status),
                                     at,
                                     change.actor_id,
                                     change.reason,
                                     change.application_id};
  append_cleanup(args, change);
  return run_change(std::move(args), code);
}

Result<Seal> SealStore::switch_key(std::string_view code, const SealChange& change,
                                   const NewKey& next) {
  std::string key = seal_key(code);
  std::string seen = std::to_string(change.seen_version);
  std::string at = std::to_string(change.at_ms);
  std::string der(next.certificate.der.begin(), next.certificate.der.end());
  std::vector<std::string_view> args{"EVAL",
                                     scripts::kSwitchKey,
                                     "2",
                                     key,
                                     kSealsWithCleanup,
                                     code,
                                     seen,
                                     at,
                                     change.actor_id,
                                     change.reason,
                                     change.application_id,
                                     next.key_id,
                                     next.key_algorithm,
                                     next.certificate.serial_hex,
                                     der};
  append_cleanup(args, change);
  return run_change(std::move(args), code);
}

Result<std::int64_t> SealStore::next_key_number(std::string_view code) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string key = seal_key(code);
  auto reply = (*lease)->command({"EVAL", scripts::kNextKeyNumber, "1", key});
  if (!reply) {
    return reply.error();
  }
  if (reply->integer() < 1) {
    return not_found(code);
  }
  return static_cast<std::int64_t>(reply->integer());
}

Status SealStore::finish_cleanup_step(std::string_view code, std::string_view step) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string key = seal_key(code);
  auto reply =
      (*lease)->command({"EVAL", scripts::kFinishStep, "2", key, kSealsWithCleanup, code, step});
  if (!reply) {
    return reply.error();
  }
  return {};
}

Result<std::vector<std::string>> SealStore::codes_with_cleanup() {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"SMEMBERS", kSealsWithCleanup});
  if (!reply) {
    return reply.error();
  }
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < reply->size(); ++i) {
    codes.emplace_back(as_view(reply->element(i)));
  }
  return codes;
}

Result<std::vector<ExpiryCandidate>> SealStore::due_to_expire(std::int64_t now_ms) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::vector<ExpiryCandidate> due;
  for (std::size_t at = 0;; at += kScanBatch) {
    std::string start = std::to_string(at);
    std::string stop = std::to_string(at + kScanBatch - 1);
    auto range = (*lease)->command({"ZRANGE", kAllSeals, start, stop});
    if (!range) {
      return range.error();
    }
    if (range->size() == 0) {
      break;
    }
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < range->size(); ++i) {
      keys.push_back(seal_key(as_view(range->element(i))));
    }
    std::vector<std::vector<std::string_view>> cmds;
    for (const auto& k : keys) {
      cmds.push_back({"HMGET", k, "code", "status", "not_after_ms", "version"});
    }
    auto replies = (*lease)->pipeline(cmds);
    if (!replies) {
      return replies.error();
    }
    for (const auto& r : *replies) {
      if (r->type != REDIS_REPLY_ARRAY || r->elements != 4) {
        continue;
      }
      std::string_view status = as_view(r->element[1]);
      std::int64_t not_after = to_int(as_view(r->element[2]));
      bool live = status == "active" || status == "suspended";
      if (live && not_after > 0 && now_ms > not_after) {
        due.push_back({std::string(as_view(r->element[0])), to_int(as_view(r->element[3]))});
      }
    }
    if (range->size() < kScanBatch) {
      break;
    }
  }
  return due;
}

}  // namespace seald::seals
