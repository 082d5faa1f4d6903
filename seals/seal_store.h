#pragma once

// Seal records in Redis (keys in docs/redis/seals.md). A seal is one HASH;
// its image (when seald drew it), its earlier certificates and the indexes
// (all seals, by applicant, by org, by application) are written with it in
// one Lua script, so a seal is either fully there or not at all, and an
// application can never get two seals.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "redis/pool.h"
#include "seals/seal.h"

namespace seald::seals {

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

 private:
  Result<std::vector<Seal>> load_many(const std::vector<std::string>& codes);

  redis::Pool& pool_;
};

std::string seal_key(std::string_view code);

}  // namespace seald::seals
