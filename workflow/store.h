#pragma once

// Redis persistence of applications (keys: docs/redis/workflow.md). Every
// change — record, history entry, name claim, list indexes — is one Lua script,
// so it happens entirely or not at all, and a refused change writes nothing.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "redis/pool.h"
#include "workflow/application.h"

namespace seald::workflow {

class ApplicationStore {
 public:
  explicit ApplicationStore(redis::Pool& pool) : pool_(pool) {}

  // Allocates the id, stores the record and its first history entry, claims
  // the seal name (if any). seal_name_taken if another holds the name.
  Result<Application> insert(Application app, const HistoryEntry& entry);

  // Replaces `before` with `after` (whose version must be before.version + 1)
  // if the stored version is still before.version; moves the name claim and
  // the list indexes with it. application_version_conflict if it moved.
  Result<Application> update(const Application& before, Application after,
                             const HistoryEntry& entry);

  Result<Application> load(std::string_view id);
  Result<std::vector<HistoryEntry>> history(std::string_view id);

  // One page of a list index, newest first, with the index's total.
  Result<Page> list(const std::string& index_key, std::size_t offset, std::size_t limit);

  // pending -> applied, version + 1. False if the effect was not pending.
  Result<bool> mark_effect_applied(const Application& app, std::int64_t now_ms);

  // Who holds a seal name: "application:<id>", "seal:<code>", or nothing.
  Result<std::optional<std::string>> name_owner(std::string_view seal_name);
  // Moves a claim from one owner to another (empty: releases it) only if
  // `from` still holds it; name_not_claimed otherwise.
  Status move_claim(std::string_view seal_name, const std::string& from, const std::string& to);

  static std::string application_owner(std::string_view id) {
    return "application:" + std::string(id);
  }
  static std::string seal_owner(std::string_view code) { return "seal:" + std::string(code); }

  // List index keys (sorted sets of application ids, scored by id).
  static std::string applicant_index(std::string_view applicant_id, std::optional<Kind> kind,
                                     std::optional<State> state);
  static std::string org_index(std::string_view org_id);
  static std::string state_index(State state);
  static std::string review_index(std::string_view approving_org_id);
  static std::string effects_pending_index();

 private:
  Result<Application> commit(const Application* before, Application after,
                             const HistoryEntry& entry);

  redis::Pool& pool_;
};

}  // namespace seald::workflow
