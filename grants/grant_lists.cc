// The read side of GrantStore: plain reads, no script needed.

#include <algorithm>
#include <charconv>

#include "grants/grant_keys.h"
#include "grants/grant_store.h"

namespace seald::grants {

using namespace detail;

Result<GrantStore::Operation> GrantStore::operation(std::string_view operation_id) {
  if (!is_operation_id(operation_id)) {
    return make_error("grant_operation_not_found", "a grant operation id is 32 hex characters");
  }
  const Error not_found =
      make_error("grant_operation_not_found",
                 "grant operation " + std::string(operation_id) + " is unknown or has expired");
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"HGETALL", operation_key(operation_id)});
  if (!reply) {
    return reply.error();
  }
  if (reply->size() == 0) {
    return not_found;
  }
  Operation op;
  op.id = std::string(operation_id);
  for (std::size_t i = 0; i + 1 < reply->size(); i += 2) {
    std::string_view name(reply->element(i)->str, reply->element(i)->len);
    std::string_view value(reply->element(i + 1)->str, reply->element(i + 1)->len);
    if (name == "app_id") {
      op.app_id = std::string(value);
    } else if (name == "actor_id") {
      op.actor_id = std::string(value);
    } else if (name == "at_ms") {
      std::from_chars(value.data(), value.data() + value.size(), op.at_ms);
    } else if (name == "seals") {
      std::size_t start = 0;
      while (start < value.size()) {
        std::size_t comma = std::min(value.find(',', start), value.size());
        op.seal_codes.emplace_back(value.substr(start, comma - start));
        start = comma + 1;
      }
    }
  }
  std::sort(op.seal_codes.begin(), op.seal_codes.end());
  return op;
}

Result<std::vector<std::string>> GrantStore::seals_of_app(std::string_view app_id) {
  if (auto s = check_app_id(app_id); !s) {
    return s.error();
  }
  return set_members(pool_, app_grants_key(app_id));
}

Result<std::vector<std::string>> GrantStore::apps_of_seal(std::string_view seal_code) {
  if (!is_seal_code(seal_code)) {
    return std::vector<std::string>{};
  }
  return set_members(pool_, seal_grants_key(seal_code));
}

Result<std::vector<std::vector<std::string>>> GrantStore::apps_of_seals(
    const std::vector<std::string>& seal_codes) {
  std::vector<std::vector<std::string>> out(seal_codes.size());
  std::vector<std::string> keys;
  std::vector<std::size_t> slots;  // where each queried key's answer goes
  for (std::size_t i = 0; i < seal_codes.size(); ++i) {
    if (is_seal_code(seal_codes[i])) {
      keys.push_back(seal_grants_key(seal_codes[i]));
      slots.push_back(i);
    }
  }
  if (keys.empty()) {
    return out;
  }
  std::vector<std::vector<std::string_view>> cmds;
  for (const auto& key : keys) {
    cmds.push_back({"SMEMBERS", key});
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto replies = (*lease)->pipeline(cmds);
  if (!replies) {
    return replies.error();
  }
  for (std::size_t k = 0; k < replies->size(); ++k) {
    const redisReply* r = (*replies)[k].get();
    if (r->type != REDIS_REPLY_ARRAY) {
      return make_error("redis_error", "SMEMBERS of " + keys[k] + " failed");
    }
    out[slots[k]] = sorted_strings(r);
  }
  return out;
}

}  // namespace seald::grants
