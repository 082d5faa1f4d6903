#include "grants/grant_store.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <unordered_set>

#include <openssl/rand.h>

#include "grants/grant_keys.h"
#include "grants/grant_scripts.h"

namespace seald::grants {

using namespace detail;

namespace {

// remove_seal races only with a grant of the same seal landing between its
// read and its script; a handful of tries is plenty.
constexpr int kRemoveAttempts = 8;

// Duplicates dropped, first occurrence kept, so "the first offender" means
// the first in the caller's order.
Result<std::vector<std::string>> distinct_codes(const std::vector<std::string>& codes) {
  if (codes.empty()) {
    return make_error("seal_codes_empty", "no seal codes given");
  }
  std::vector<std::string> out;
  std::unordered_set<std::string_view> seen;
  for (const auto& code : codes) {
    if (seen.insert(code).second) {
      out.push_back(code);
    }
  }
  if (out.size() > kMaxSealsPerChange) {
    return make_error("too_many_seals", "at most " + std::to_string(kMaxSealsPerChange) +
                                            " seals in one change, got " +
                                            std::to_string(out.size()));
  }
  return out;
}

Error seal_not_found(std::string_view code) {
  return make_error("seal_not_found", "seal " + std::string(code) + " does not exist");
}

Result<std::string> new_operation_id() {
  std::array<unsigned char, 16> raw{};
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    return make_error("grant_store_failed", "no randomness for an operation id");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : raw) {
    out += kHex[b >> 4];
    out += kHex[b & 0x0f];
  }
  return out;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Error malformed_reply() {
  return make_error("redis_error", "unexpected reply from a grants script");
}

GrantChange make_change(std::string_view app_id, std::string operation_id,
                        const std::vector<std::string>& asked, std::vector<std::string> changed) {
  GrantChange c;
  c.operation_id = changed.empty() ? std::string() : std::move(operation_id);
  c.app_id = std::string(app_id);
  for (const auto& code : asked) {
    if (!std::binary_search(changed.begin(), changed.end(), code)) {
      c.unchanged.push_back(code);
    }
  }
  std::sort(c.unchanged.begin(), c.unchanged.end());
  c.changed = std::move(changed);
  return c;
}

Error refusal(std::string_view what, std::string_view code) {
  std::string c(code);
  if (what == "seal_not_found") {
    return seal_not_found(code);
  }
  if (what == "seal_not_cloud") {
    return make_error("seal_not_cloud",
                      "seal " + c + " is a UKey seal; only cloud seals can be granted");
  }
  if (what == "seal_not_grantable") {
    return make_error("seal_not_grantable", "seal " + c + " is revoked or expired");
  }
  return malformed_reply();
}

}  // namespace

Result<GrantChange> GrantStore::grant(std::string_view app_id,
                                      const std::vector<std::string>& seal_codes,
                                      std::string_view actor_id) {
  auto changes = grant_to_apps({std::string(app_id)}, seal_codes, actor_id);
  if (!changes) {
    return changes.error();
  }
  return std::move(changes->front());
}

Result<std::vector<GrantChange>> GrantStore::grant_to_apps(
    const std::vector<std::string>& app_ids, const std::vector<std::string>& seal_codes,
    std::string_view actor_id) {
  for (const auto& app : app_ids) {
    if (auto s = check_app_id(app); !s) {
      return s.error();
    }
  }
  auto codes = distinct_codes(seal_codes);
  if (!codes) {
    return codes.error();
  }
  // A malformed code cannot name a seal; refusing it here keeps arbitrary
  // text out of key names.
  for (const auto& code : *codes) {
    if (!is_seal_code(code)) {
      // Cut, so a client's garbage does not fill the error and the logs.
      return seal_not_found(std::string_view(code).substr(0, 32));
    }
  }
  std::vector<std::string> op_ids;
  for (std::size_t j = 0; j < app_ids.size(); ++j) {
    auto id = new_operation_id();
    if (!id) {
      return id.error();
    }
    op_ids.push_back(std::move(*id));
  }

  const std::size_t n = codes->size();
  const std::size_t m = app_ids.size();
  std::vector<std::string> keys;
  keys.reserve(2 * n + 2 * m);
  for (const auto& code : *codes) {
    keys.push_back(seal_record_key(code));
  }
  for (const auto& code : *codes) {
    keys.push_back(seal_grants_key(code));
  }
  for (const auto& app : app_ids) {
    keys.push_back(app_grants_key(app));
  }
  for (const auto& op : op_ids) {
    keys.push_back(operation_key(op));
  }
  std::string key_count = std::to_string(keys.size());
  std::string n_arg = std::to_string(n);
  std::string m_arg = std::to_string(m);
  std::string now = std::to_string(now_ms());
  std::string ttl = std::to_string(kOperationTtlSeconds);

  std::vector<std::string_view> args{"EVAL", scripts::kGrant, key_count};
  args.insert(args.end(), keys.begin(), keys.end());
  for (std::string_view a : {std::string_view(n_arg), std::string_view(m_arg),
                             std::string_view(now), actor_id, std::string_view(ttl)}) {
    args.push_back(a);
  }
  args.insert(args.end(), codes->begin(), codes->end());
  args.insert(args.end(), app_ids.begin(), app_ids.end());
  args.insert(args.end(), op_ids.begin(), op_ids.end());

  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command(args);
  if (!reply) {
    return reply.error();
  }
  if (reply->type() != REDIS_REPLY_ARRAY || reply->size() < 1 ||
      reply->element(0)->type != REDIS_REPLY_STRING) {
    return malformed_reply();
  }
  std::string_view outcome(reply->element(0)->str, reply->element(0)->len);
  if (outcome != "ok") {
    if (reply->size() != 2) {
      return malformed_reply();
    }
    return refusal(outcome, std::string_view(reply->element(1)->str, reply->element(1)->len));
  }
  if (reply->size() != m + 1) {
    return malformed_reply();
  }
  std::vector<GrantChange> out;
  for (std::size_t j = 0; j < m; ++j) {
    out.push_back(make_change(app_ids[j], std::move(op_ids[j]), *codes,
                              sorted_strings(reply->element(j + 1))));
  }
  return out;
}

Result<GrantChange> GrantStore::ungrant(std::string_view app_id,
                                        const std::vector<std::string>& seal_codes,
                                        std::string_view /*actor_id*/) {
  if (auto s = check_app_id(app_id); !s) {
    return s.error();
  }
  auto codes = distinct_codes(seal_codes);
  if (!codes) {
    return codes.error();
  }
  // A malformed code was never granted: it is unchanged without asking Redis.
  std::vector<std::string_view> wellformed;
  for (const auto& code : *codes) {
    if (is_seal_code(code)) {
      wellformed.push_back(code);
    }
  }
  if (wellformed.empty()) {
    return make_change(app_id, "", *codes, {});
  }
  std::vector<std::string> keys{app_grants_key(app_id)};
  for (auto code : wellformed) {
    keys.push_back(seal_grants_key(code));
  }
  std::string key_count = std::to_string(keys.size());
  std::vector<std::string_view> args{"EVAL", scripts::kUngrant, key_count};
  args.insert(args.end(), keys.begin(), keys.end());
  args.push_back(app_id);
  args.insert(args.end(), wellformed.begin(), wellformed.end());

  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command(args);
  if (!reply) {
    return reply.error();
  }
  if (reply->type() != REDIS_REPLY_ARRAY) {
    return malformed_reply();
  }
  // Nothing to sync from an ungrant, so it records no operation.
  return make_change(app_id, "", *codes, sorted_strings(reply->raw()));
}

Status GrantStore::remove_seal(std::string_view seal_code) {
  if (!is_seal_code(seal_code)) {
    return {};
  }
  const std::string seal_key = seal_grants_key(seal_code);
  for (int attempt = 0; attempt < kRemoveAttempts; ++attempt) {
    auto apps = set_members(pool_, seal_key);
    if (!apps) {
      return apps.error();
    }
    std::vector<std::string> keys{seal_key};
    for (const auto& app : *apps) {
      keys.push_back(app_grants_key(app));
    }
    std::string key_count = std::to_string(keys.size());
    std::vector<std::string_view> args{"EVAL", scripts::kRemoveSeal, key_count};
    args.insert(args.end(), keys.begin(), keys.end());
    args.push_back(seal_code);
    args.insert(args.end(), apps->begin(), apps->end());
    auto lease = pool_.acquire();
    if (!lease) {
      return lease.error();
    }
    auto reply = (*lease)->command(args);
    if (!reply) {
      return reply.error();
    }
    if (reply->type() == REDIS_REPLY_INTEGER) {
      return {};
    }
  }
  return make_error("grant_store_busy",
                    "the grants of seal " + std::string(seal_code) + " kept changing; try again");
}

}  // namespace seald::grants