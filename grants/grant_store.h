#pragma once

// Seal grants (授权): which cloud apps may sign with which cloud seals
// (manual §4). Keys and the change notice are in docs/redis/grants.md.
//
// Every change is one Lua script: it checks every seal it is given, writes
// both directions of the relation (app -> seals, seal -> apps), records the
// operation (for "sync to other apps") and publishes one notice on
// seald:changes, so a change is all there or not at all, and the signing
// caches hear of it in the same step. Who may grant what (scope, app kind)
// is the caller's business; the store checks what Redis knows about the
// seals themselves.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "redis/pool.h"

namespace seald::grants {

// More codes than this in one call are refused (too_many_seals): a batch
// bigger than any org's seal count is a client bug, and the limit bounds the
// time one script holds Redis.
inline constexpr std::size_t kMaxSealsPerChange = 5000;
// How long an operation stays available for sync (seconds): a week.
inline constexpr std::int64_t kOperationTtlSeconds = 7 * 24 * 3600;

struct GrantChange {
  // 32 hex characters; "" when nothing changed, and always "" for an
  // ungrant (there is nothing to sync from one, so it records no operation).
  std::string operation_id;
  std::string app_id;
  std::vector<std::string> changed;    // granted (or ungranted) by this call, sorted
  std::vector<std::string> unchanged;  // already so before the call, sorted
};

class GrantStore {
 public:
  explicit GrantStore(redis::Pool& pool) : pool_(pool) {}

  // Grants the seals to the app, all or nothing. Each seal must exist
  // (seal_not_found), be a cloud seal (seal_not_cloud) and be neither
  // revoked nor expired at the moment of the write (seal_not_grantable:
  // status revoked or expired, or not_after_ms at or before this node's
  // clock, which is the clock signing is judged by; a suspended seal can be
  // granted, as restore makes it usable again) —
  // the first offender is named in the message and nothing is written. An
  // empty list is seal_codes_empty; duplicates count once (the first
  // occurrence decides the order of checking); a code that is not 16 digits
  // is seal_not_found before Redis is asked; app_id_invalid for an empty app
  // id, one over 64 bytes or one with control characters; more than
  // kMaxSealsPerChange is too_many_seals. A seal already granted is listed in
  // `unchanged`. When something changed, the operation (its id, app, actor,
  // time and the seals it granted) is kept kOperationTtlSeconds for sync.
  Result<GrantChange> grant(std::string_view app_id, const std::vector<std::string>& seal_codes,
                            std::string_view actor_id);

  // Removes the grants, all in one step. Seals not granted to the app (or no
  // longer existing, or malformed) land in `unchanged`; no seal check is
  // made, so grants of a revoked seal can always be cleared. Same list and
  // app id errors as grant.
  Result<GrantChange> ungrant(std::string_view app_id, const std::vector<std::string>& seal_codes,
                              std::string_view actor_id);

  // Sync: grants the same seals to every app in app_ids, in one script (all
  // apps or none). One GrantChange per app, in the order given; each that
  // changed something gets its own operation id. An empty app list still
  // checks the seals and then changes nothing.
  Result<std::vector<GrantChange>> grant_to_apps(const std::vector<std::string>& app_ids,
                                                 const std::vector<std::string>& seal_codes,
                                                 std::string_view actor_id);

  // The seals a grant operation granted, sorted. Errors:
  // grant_operation_not_found (unknown or older than kOperationTtlSeconds).
  struct Operation {
    std::string id;
    std::string app_id;
    std::string actor_id;
    std::int64_t at_ms = 0;
    std::vector<std::string> seal_codes;
  };
  Result<Operation> operation(std::string_view operation_id);

  // Sorted lists. An unknown app or seal (or a malformed seal code) simply
  // has none; seals_of_app refuses a malformed app id (app_id_invalid).
  Result<std::vector<std::string>> seals_of_app(std::string_view app_id);
  Result<std::vector<std::string>> apps_of_seal(std::string_view seal_code);
  // apps_of_seal for many seals in one pipelined round trip, in input order.
  Result<std::vector<std::vector<std::string>>> apps_of_seals(
      const std::vector<std::string>& seal_codes);

  // Drops every grant of the seal (a revoked seal keeps none). Idempotent;
  // publishes a notice when something was removed. grant_store_busy when
  // grants of the seal kept landing while it ran (it retries a few times).
  Status remove_seal(std::string_view seal_code);

 private:
  redis::Pool& pool_;
};

}  // namespace seald::grants
