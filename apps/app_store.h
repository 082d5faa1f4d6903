#pragma once

// Registered applications in Redis (keys and the change notice in
// docs/redis/apps.md). Each change is one Lua script that also publishes
// {"type":"app","id","client_id","status"} on seald:changes, so the signing
// caches hear of it in the same atomic step; a refused change writes nothing.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "apps/app.h"
#include "core/error.h"
#include "core/secret.h"
#include "redis/pool.h"

namespace seald::apps {

class AppStore {
 public:
  explicit AppStore(redis::Pool& pool) : pool_(pool) {}

  // Issues a client_id and a secret; the secret is in the answer and nowhere
  // else (Redis keeps its SHA-256). Fails with app_name_invalid,
  // app_competent_unit_invalid, app_developer_unit_invalid (empty or over 256
  // bytes) or app_store_failed.
  Result<Credentials> register_app(const NewApp& app, std::string_view created_by);

  // Fails with app_not_found.
  Result<App> get(std::string_view id);

  // Case-insensitive substring search in registration order; an empty query
  // lists every app.
  Result<AppPage> search(std::string_view query, SearchField field, std::size_t offset,
                         std::size_t limit);

  // Each applies only at expected_version and returns the record as it now
  // is. Fail with app_not_found, app_version_conflict or (enable/disable
  // when already so) app_status_conflict.
  Result<App> disable(std::string_view id, std::int64_t expected_version);
  Result<App> enable(std::string_view id, std::int64_t expected_version);
  // Sets (or, with nullopt, clears) the app's own signing rate limit.
  // Fails with app_not_found, app_version_conflict or, for a rate over
  // 1,000,000/s or a burst outside 1..10,000,000, app_rate_limit_invalid.
  Result<App> set_rate_limit(std::string_view id, std::int64_t expected_version,
                             std::optional<AppRateLimit> limit);
  // A new secret; the old one stops working at once.
  Result<Credentials> rotate_secret(std::string_view id, std::int64_t expected_version);

  // For the token endpoint: the app when the secret is its current one.
  // Fails with app_credentials_invalid (unknown client_id or wrong secret,
  // deliberately the same) or, for the right secret, app_disabled.
  Result<App> verify_secret(std::string_view client_id, const Secret& secret);

 private:
  Result<App> change(std::string_view id, std::int64_t expected_version, std::string_view what,
                     std::string_view value, std::string_view extra = {});

  redis::Pool& pool_;
};

}  // namespace seald::apps
