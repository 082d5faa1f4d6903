#pragma once

// Seal records in Redis (keys in docs/redis/seals.md). A seal is one HASH;
// its image (when seald drew it), its earlier certificates and the indexes
// (all seals, by applicant, by org, by application) are written with it in
// one Lua script, so a seal is either fully there or not at all, and an
// application can never get two seals.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "redis/pool.h"
#include "seals/seal.h"

namespace seald::seals {

// One lifecycle change, applied only if the seal still has seen_version.
struct SealChange {
  std::int64_t seen_version = 0;
  SealStatus status = SealStatus::active;  // ignored by switch_key (always active)
  std::int64_t at_ms = 0;
  std::string actor_id;
  std::string reason;
  std::string application_id;  // empty when not through an application
  // Steps added to the cleanup marker in the same script (step -> detail).
  std::map<std::string, std::string> cleanup;
};

// The key and certificate a reissued seal switches to.
struct NewKey {
  std::string key_id;
  std::string key_algorithm;
  Certificate certificate;
};

// What maintenance needs to know to expire a seal without reading it whole.
struct ExpiryCandidate {
  std::string code;
  std::int64_t version = 0;
};

struct SealPage {
  std::vector<Seal> items;  // newest enabled first
  std::size_t total = 0;
};

class SealStore {
 public:
  explicit SealStore(redis::Pool& pool) : pool_(pool) {}

  // Stores a new seal (version 1) and, when given, its SVG image. Errors:
  // seal_already_made (the application has a seal), seal_exists (the code
  // is taken), redis_unavailable.
  Status create(const Seal& seal, std::string_view svg_image);

  // Removes a seal that was just created, when the step after it failed.
  // Only the record and indexes this store wrote go away.
  Status remove_new(const Seal& seal);

  // Errors: seal_not_found.
  Result<Seal> get(std::string_view code);
  // The code of the seal made for an application, if any.
  Result<std::optional<std::string>> code_for_application(std::string_view application_id);
  // The SVG seald drew for the seal. Errors: seal_image_not_found.
  Result<std::string> svg_image(std::string_view code);

  Result<SealPage> list_by_applicant(std::string_view applicant_id, std::size_t offset,
                                     std::size_t limit);
  // Seals of any of these orgs, newest enabled first.
  Result<SealPage> list_by_orgs(const std::vector<std::string>& org_ids, std::size_t offset,
                                std::size_t limit);

  // Lifecycle writes (seal_store_changes.cc). Each is one script that also
  // publishes {"type":"seal","code","status","version"} on seald:changes.
  // Errors: seal_not_found, seal_version_conflict, redis_unavailable.
  Result<Seal> change_status(std::string_view code, const SealChange& change);
  // Moves the current certificate to previous_certificates and makes the
  // new key and certificate current; the seal becomes active.
  Result<Seal> switch_key(std::string_view code, const SealChange& change, const NewKey& key);
  // The n of the next reissued key id "<code>.<n>"; numbers are never
  // reused. Errors: seal_not_found.
  Result<std::int64_t> next_key_number(std::string_view code);
  // Drops one step from the seal's cleanup marker.
  Status finish_cleanup_step(std::string_view code, std::string_view step);
  // Seals whose cleanup marker still holds steps.
  Result<std::vector<std::string>> codes_with_cleanup();
  // Seals stored as active or suspended whose not_after_ms is before now_ms.
  Result<std::vector<ExpiryCandidate>> due_to_expire(std::int64_t now_ms);

 private:
  Result<Seal> run_change(std::vector<std::string_view> args, std::string_view code);
  Result<std::vector<Seal>> load_many(const std::vector<std::string>& codes);

  redis::Pool& pool_;
};

std::string seal_key(std::string_view code);

}  // namespace seald::seals
