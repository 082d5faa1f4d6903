#include "authz/role_store.h"

#include <algorithm>
#include <chrono>
#include <tuple>

#include "identity/keys.h"

namespace seald::authz {
namespace {

// KEYS: user record, grants set, holders zset. ARGV: grant, user id, now.
constexpr std::string_view kGrantScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local added = redis.call('SADD', KEYS[2], ARGV[1])
if added == 1 then redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[2]) end
return added
)lua";

// KEYS: grants set, holders zset. ARGV: grant, user id, role prefix ("role|").
// The user leaves the holders index only with their last grant of the role.
constexpr std::string_view kRevokeScript = R"lua(
local removed = redis.call('SREM', KEYS[1], ARGV[1])
if removed == 1 then
  for _, g in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    if string.sub(g, 1, #ARGV[3]) == ARGV[3] then return 1 end
  end
  redis.call('ZREM', KEYS[2], ARGV[2])
end
return removed
)lua";

std::string now_ms() {
  using namespace std::chrono;
  return std::to_string(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

std::vector<Grant> decode_members(const redisReply* set, std::optional<Role> only) {
  std::vector<Grant> grants;
  if (set == nullptr || set->type != REDIS_REPLY_ARRAY) {
    return grants;
  }
  for (std::size_t i = 0; i < set->elements; ++i) {
    auto g = decode({set->element[i]->str, set->element[i]->len});
    if (g && (!only || g->role == *only)) {
      grants.push_back(std::move(*g));
    }
  }
  std::sort(grants.begin(), grants.end(), [](const Grant& a, const Grant& b) {
    return std::tie(a.role, a.org_id, a.region) < std::tie(b.role, b.org_id, b.region);
  });
  return grants;
}

}  // namespace

std::string RoleStore::grants_key(std::string_view user_id) {
  return "seald:authz:grants:" + std::string(user_id);
}

std::string RoleStore::holders_key(Role role) {
  return "seald:authz:holders:" + std::string(to_string(role));
}

Result<bool> RoleStore::grant(std::string_view user_id, const Grant& grant) {
  if (auto ok = validate(grant); !ok) {
    return ok.error();
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"EVAL", kGrantScript, "3", identity::keys::user(user_id),
                                  grants_key(user_id), holders_key(grant.role), encode(grant),
                                  user_id, now_ms()});
  if (!reply) {
    return reply.error();
  }
  if (reply->integer() < 0) {
    return make_error("user_not_found", "no such user");
  }
  return reply->integer() == 1;
}

Result<bool> RoleStore::revoke(std::string_view user_id, const Grant& grant) {
  if (auto ok = validate(grant); !ok) {
    return ok.error();
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string prefix = std::string(to_string(grant.role)) + "|";
  auto reply = (*lease)->command({"EVAL", kRevokeScript, "2", grants_key(user_id),
                                  holders_key(grant.role), encode(grant), user_id, prefix});
  if (!reply) {
    return reply.error();
  }
  return reply->integer() == 1;
}

Result<std::vector<Grant>> RoleStore::grants_of(std::string_view user_id) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"SMEMBERS", grants_key(user_id)});
  if (!reply) {
    return reply.error();
  }
  return decode_members(reply->raw(), std::nullopt);
}

Result<std::uint64_t> RoleStore::count_holders(Role role) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"ZCARD", holders_key(role)});
  if (!reply) {
    return reply.error();
  }
  return static_cast<std::uint64_t>(reply->integer());
}

Result<RoleHolderPage> RoleStore::holders(Role role, std::size_t offset, std::size_t limit) {
  limit = std::min(limit, kMaxPageSize);
  auto total = count_holders(role);
  if (!total) {
    return total.error();
  }
  RoleHolderPage page;
  page.total = *total;
  if (limit == 0 || offset >= page.total) {
    return page;
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto ids = (*lease)->command(
      {"ZRANGE", holders_key(role), std::to_string(offset), std::to_string(offset + limit - 1)});
  if (!ids) {
    return ids.error();
  }
  std::vector<std::string> user_ids;
  std::vector<std::string> set_keys;
  for (std::size_t i = 0; i < ids->size(); ++i) {
    user_ids.emplace_back(ids->element(i)->str, ids->element(i)->len);
    set_keys.push_back(grants_key(user_ids.back()));
  }
  std::vector<std::vector<std::string_view>> cmds;
  for (const auto& k : set_keys) {
    cmds.push_back({"SMEMBERS", k});
  }
  auto sets = (*lease)->pipeline(cmds);
  if (!sets) {
    return sets.error();
  }
  for (std::size_t i = 0; i < user_ids.size(); ++i) {
    page.items.push_back({user_ids[i], decode_members((*sets)[i].get(), role)});
  }
  return page;
}

}  // namespace seald::authz
