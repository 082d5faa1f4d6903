#include "apps/app_store.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <map>
#include <vector>

#include "apps/app_scripts.h"
#include "apps/app_secret.h"

namespace seald::apps {
namespace {

constexpr std::size_t kMaxFieldBytes = 256;
constexpr std::string_view kClientIndex = "seald:apps:client_ids";
constexpr std::string_view kAll = "seald:apps:all";
constexpr std::string_view kSequence = "seald:apps:sequence";
// The same bounds as [signing] rate_per_s and burst.
constexpr std::uint32_t kMaxRatePerS = 1'000'000;
constexpr std::uint32_t kMaxBurst = 10'000'000;

std::string app_key(std::string_view id) {
  return "seald:apps:app:" + std::string(id);
}

bool well_formed_id(std::string_view id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Error not_found(std::string_view id) {
  return make_error("app_not_found", "app " + std::string(id) + " does not exist");
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t to_int(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// ASCII letters only: UTF-8 bytes above 0x7f pass unchanged, as in the
// search script.
std::string fold(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

Status check_field(std::string_view value, const char* code, const char* what) {
  if (value.empty() || value.size() > kMaxFieldBytes) {
    return make_error(code, std::string("an app needs a ") + what + " of 1 to 256 bytes");
  }
  return {};
}

// An app from an HGETALL reply (name/value pairs), starting at element first.
Result<App> parse_app(const redisReply* reply, std::size_t first) {
  std::map<std::string_view, std::string_view> f;
  for (std::size_t i = first; i + 1 < reply->elements; i += 2) {
    const redisReply* k = reply->element[i];
    const redisReply* v = reply->element[i + 1];
    f[std::string_view(k->str, k->len)] = std::string_view(v->str, v->len);
  }
  App app;
  app.id = std::string(f["id"]);
  app.client_id = std::string(f["client_id"]);
  app.name = std::string(f["name"]);
  app.competent_unit = std::string(f["competent_unit"]);
  app.developer_unit = std::string(f["developer_unit"]);
  auto kind = kind_from_string(f["kind"]);
  if (app.id.empty() || !kind) {
    return make_error("redis_error", "an app record in Redis is malformed");
  }
  app.kind = *kind;
  app.status = f["status"] == "disabled" ? AppStatus::disabled : AppStatus::enabled;
  app.version = to_int(f["version"]);
  app.created_by = std::string(f["created_by"]);
  app.created_ms = to_int(f["created_ms"]);
  app.updated_ms = to_int(f["updated_ms"]);
  if (f.contains("rate_per_s")) {
    app.rate_limit = AppRateLimit{static_cast<std::uint32_t>(to_int(f["rate_per_s"])),
                                  static_cast<std::uint32_t>(to_int(f["burst"]))};
  }
  return app;
}

}  // namespace

Result<Credentials> AppStore::register_app(const NewApp& app, std::string_view created_by) {
  if (auto s = check_field(app.name, "app_name_invalid", "name"); !s) {
    return s.error();
  }
  if (auto s = check_field(app.competent_unit, "app_competent_unit_invalid", "competent unit");
      !s) {
    return s.error();
  }
  if (auto s = check_field(app.developer_unit, "app_developer_unit_invalid", "developer unit");
      !s) {
    return s.error();
  }
  auto id = generate_app_id();
  auto client_id = generate_client_id();
  auto secret = generate_secret();
  if (!id || !client_id || !secret) {
    return make_error("app_store_failed", "no randomness for the app's credentials");
  }
  auto hash = secret_hash(secret->reveal());
  if (!hash) {
    return hash.error();
  }
  Credentials out{App{}, std::move(*secret)};
  App& a = out.app;
  a.id = *id;
  a.client_id = *client_id;
  a.name = app.name;
  a.competent_unit = app.competent_unit;
  a.developer_unit = app.developer_unit;
  a.kind = app.kind;
  a.status = AppStatus::enabled;
  a.version = 1;
  a.created_by = std::string(created_by);
  a.created_ms = now_ms();
  a.updated_ms = a.created_ms;

  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string key = app_key(a.id);
  std::string created = std::to_string(a.created_ms);
  std::string name_lc = fold(a.name);
  std::string competent_lc = fold(a.competent_unit);
  std::string developer_lc = fold(a.developer_unit);
  auto reply = (*lease)->command({"EVAL",
                                  scripts::kRegister,
                                  "4",
                                  key,
                                  kClientIndex,
                                  kAll,
                                  kSequence,
                                  a.id,
                                  a.client_id,
                                  "id",
                                  a.id,
                                  "client_id",
                                  a.client_id,
                                  "name",
                                  a.name,
                                  "competent_unit",
                                  a.competent_unit,
                                  "developer_unit",
                                  a.developer_unit,
                                  "name_lc",
                                  name_lc,
                                  "competent_unit_lc",
                                  competent_lc,
                                  "developer_unit_lc",
                                  developer_lc,
                                  "kind",
                                  to_string(a.kind),
                                  "status",
                                  "enabled",
                                  "secret_sha256",
                                  *hash,
                                  "version",
                                  "1",
                                  "created_by",
                                  a.created_by,
                                  "created_ms",
                                  created,
                                  "updated_ms",
                                  created});
  if (!reply) {
    return reply.error();
  }
  if (reply->integer() != 1) {
    return make_error("app_store_failed", "app id collision; try again");
  }
  return out;
}

Result<App> AppStore::get(std::string_view id) {
  if (!well_formed_id(id)) {
    return not_found(id);
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"HGETALL", app_key(id)});
  if (!reply) {
    return reply.error();
  }
  if (reply->size() == 0) {
    return not_found(id);
  }
  return parse_app(reply->raw(), 0);
}

Result<AppPage> AppStore::search(std::string_view query, SearchField field, std::size_t offset,
                                 std::size_t limit) {
  static constexpr std::string_view kFieldNames[] = {"any", "name", "competent_unit",
                                                     "developer_unit"};
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string needle = fold(query);
  std::string off = std::to_string(offset);
  std::string lim = std::to_string(limit);
  auto reply = (*lease)->command({"EVAL", scripts::kSearch, "1", kAll, needle,
                                  kFieldNames[static_cast<int>(field)], off, lim});
  if (!reply) {
    return reply.error();
  }
  AppPage page;
  page.total = static_cast<std::size_t>(reply->element(0)->integer);
  for (std::size_t i = 1; i < reply->size(); ++i) {
    auto app = parse_app(reply->element(i), 0);
    if (!app) {
      return app.error();
    }
    page.items.push_back(std::move(*app));
  }
  return page;
}

Result<App> AppStore::change(std::string_view id, std::int64_t expected_version,
                             std::string_view what, std::string_view value,
                             std::string_view extra) {
  if (!well_formed_id(id)) {
    return not_found(id);
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string version = std::to_string(expected_version);
  std::string now = std::to_string(now_ms());
  auto reply = (*lease)->command(
      {"EVAL", scripts::kChange, "1", app_key(id), version, what, value, now, extra});
  if (!reply) {
    return reply.error();
  }
  const redisReply* outcome = reply->element(0);
  std::string_view word(outcome->str, outcome->len);
  if (word == "not_found") {
    return not_found(id);
  }
  if (word == "version_conflict") {
    return make_error("app_version_conflict",
                      "app " + std::string(id) + " has changed; reload it and try again");
  }
  if (word == "status_conflict") {
    return make_error("app_status_conflict",
                      "app " + std::string(id) + " is already " + std::string(value));
  }
  return parse_app(reply->raw(), 1);
}

Result<App> AppStore::disable(std::string_view id, std::int64_t expected_version) {
  return change(id, expected_version, "status", "disabled");
}

Result<App> AppStore::enable(std::string_view id, std::int64_t expected_version) {
  return change(id, expected_version, "status", "enabled");
}

Result<App> AppStore::set_rate_limit(std::string_view id, std::int64_t expected_version,
                                     std::optional<AppRateLimit> limit) {
  if (!limit) {
    return change(id, expected_version, "rate_limit", "", "");
  }
  if (limit->rate_per_s > kMaxRatePerS || limit->burst < 1 || limit->burst > kMaxBurst) {
    return make_error("app_rate_limit_invalid",
                      "rate_per_s must be 0 (unlimited) to 1000000 and burst 1 to 10000000");
  }
  return change(id, expected_version, "rate_limit", std::to_string(limit->rate_per_s),
                std::to_string(limit->burst));
}

Result<Credentials> AppStore::rotate_secret(std::string_view id, std::int64_t expected_version) {
  auto secret = generate_secret();
  if (!secret) {
    return secret.error();
  }
  auto hash = secret_hash(secret->reveal());
  if (!hash) {
    return hash.error();
  }
  auto app = change(id, expected_version, "secret", *hash);
  if (!app) {
    return app.error();
  }
  return Credentials{std::move(*app), std::move(*secret)};
}

Result<App> AppStore::verify_secret(std::string_view client_id, const Secret& secret) {
  const Error invalid = make_error("app_credentials_invalid", "unknown client or wrong secret");
  auto candidate = secret_hash(secret.reveal());
  if (!candidate) {
    return candidate.error();
  }
  if (client_id.empty() || client_id.size() > 64) {
    return invalid;
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto id = (*lease)->command({"HGET", kClientIndex, client_id});
  if (!id) {
    return id.error();
  }
  if (id->is_nil()) {
    return invalid;
  }
  auto reply = (*lease)->command({"HGETALL", app_key(id->str())});
  if (!reply) {
    return reply.error();
  }
  std::string_view stored;
  for (std::size_t i = 0; i + 1 < reply->size(); i += 2) {
    const redisReply* k = reply->element(i);
    if (std::string_view(k->str, k->len) == "secret_sha256") {
      stored = std::string_view(reply->element(i + 1)->str, reply->element(i + 1)->len);
    }
  }
  // Both are 64 hex characters, so only their contents could leak timing.
  if (stored.size() != candidate->size() || !constant_time_equal(stored, *candidate)) {
    return invalid;
  }
  auto app = parse_app(reply->raw(), 0);
  if (!app) {
    return app.error();
  }
  if (app->status == AppStatus::disabled) {
    return make_error("app_disabled", "app " + app->client_id + " is disabled");
  }
  return app;
}

}  // namespace seald::apps
