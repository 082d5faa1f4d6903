#pragma once

// A registered application (应用, manual §4): software that will call the
// signing API with its client_id and secret. The secret itself is never part
// of this record; only the registration and rotation answers carry it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"

namespace seald::apps {

// cloud apps sign with seals kept in our HSM (and need grants); ukey apps
// use seals on the holder's UKey.
enum class AppKind { cloud, ukey };
enum class AppStatus { enabled, disabled };

std::string_view to_string(AppKind kind);
std::string_view to_string(AppStatus status);
std::optional<AppKind> kind_from_string(std::string_view s);

struct NewApp {
  std::string name;
  std::string competent_unit;  // 主管单位
  std::string developer_unit;  // 开发单位
  AppKind kind = AppKind::cloud;
};

// A system admin's signing rate limit for one app, in place of [signing]'s
// rate_per_s and burst. rate_per_s 0 exempts the app.
struct AppRateLimit {
  std::uint32_t rate_per_s = 0;
  std::uint32_t burst = 0;
  friend bool operator==(const AppRateLimit&, const AppRateLimit&) = default;
};

struct App {
  std::string id;         // 32 hex characters, random
  std::string client_id;  // "app_" + 16 hex characters; public
  std::string name;
  std::string competent_unit;
  std::string developer_unit;
  AppKind kind = AppKind::cloud;
  AppStatus status = AppStatus::enabled;
  std::int64_t version = 1;  // +1 on every change, for optimistic concurrency
  std::string created_by;    // the user who registered it
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  std::optional<AppRateLimit> rate_limit;  // unset: the configured default
};

// The answer to register and rotate: the record and the one and only copy of
// the secret seald will ever hand out.
struct Credentials {
  App app;
  Secret client_secret;
};

// What a search looks in; any matches when one of the three fields does.
enum class SearchField { any, name, competent_unit, developer_unit };
std::optional<SearchField> search_field_from_string(std::string_view s);

struct AppPage {
  std::vector<App> items;
  std::size_t total = 0;
};

}  // namespace seald::apps
