#pragma once

// The Lua scripts that change the org tree. Each checks everything first and
// writes only when every check passed, so a refused change writes nothing
// (Redis does not roll back a script that fails half-way).
//
// The tree is kept three ways, all updated in the same script:
//   paths (HASH id -> materialised path, one 12-digit segment per level),
//   tree  (ZSET of paths, all score 0: a lexicographic range is a subtree,
//          in depth-first order),
//   children sets (ZSET of child ids scored by id: creation order).

#include <string_view>

namespace seald::orgs::scripts {

// KEYS: next id, by_credit_code, paths, tree, sibling set.
// ARGV: name, code, region, parent id, now ms, org key prefix.
// The id is drawn only once every check passed, so a refused create leaves
// even the counter alone. The record's key is derived here from that id.
inline constexpr std::string_view kCreate = R"lua(
local parent_path = ''
if ARGV[4] ~= '' then
  parent_path = redis.call('HGET', KEYS[3], ARGV[4])
  if not parent_path then return {'org_parent_not_found'} end
end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return {'credit_code_taken'} end
local id = tostring(redis.call('INCR', KEYS[1]))
local path = parent_path .. string.rep('0', 12 - #id) .. id .. '/'
redis.call('HSET', KEYS[2], ARGV[2], id)
redis.call('HSET', ARGV[6] .. id, 'id', id, 'name', ARGV[1], 'credit_code', ARGV[2],
  'region', ARGV[3], 'parent', ARGV[4], 'version', 1, 'created_ms', ARGV[5],
  'updated_ms', ARGV[5])
redis.call('HSET', KEYS[3], id, path)
redis.call('ZADD', KEYS[4], 0, path)
redis.call('ZADD', KEYS[5], tonumber(id), id)
return {'ok', id}
)lua";

// KEYS: org, by_credit_code, paths, tree, current sibling set, new sibling set.
// ARGV: id, expected version, parent the caller read, then flag/value pairs
// for name, code, region and parent ('1' = change it), now ms, own segment.
inline constexpr std::string_view kChange = R"lua(
local cur = redis.call('HMGET', KEYS[1], 'version', 'parent', 'credit_code')
if not cur[1] then return {'org_not_found'} end
if cur[1] ~= ARGV[2] or cur[2] ~= ARGV[3] then return {'org_version_conflict', cur[1]} end
local code_changes = ARGV[6] == '1' and ARGV[7] ~= cur[3]
if code_changes and redis.call('HEXISTS', KEYS[2], ARGV[7]) == 1 then
  return {'credit_code_taken'}
end
local parent_changes = ARGV[10] == '1' and ARGV[11] ~= cur[2]
local old_path = redis.call('HGET', KEYS[3], ARGV[1])
local new_path = old_path
if parent_changes then
  local parent_path = ''
  if ARGV[11] ~= '' then
    parent_path = redis.call('HGET', KEYS[3], ARGV[11])
    if not parent_path then return {'org_parent_not_found'} end
    if string.sub(parent_path, 1, #old_path) == old_path then return {'org_cycle'} end
  end
  new_path = parent_path .. ARGV[13]
end

if ARGV[4] == '1' then redis.call('HSET', KEYS[1], 'name', ARGV[5]) end
if ARGV[8] == '1' then redis.call('HSET', KEYS[1], 'region', ARGV[9]) end
if code_changes then
  redis.call('HDEL', KEYS[2], cur[3])
  redis.call('HSET', KEYS[2], ARGV[7], ARGV[1])
  redis.call('HSET', KEYS[1], 'credit_code', ARGV[7])
end
if parent_changes then
  local members = redis.call('ZRANGEBYLEX', KEYS[4], '[' .. old_path, '(' .. old_path .. '\255')
  for _, m in ipairs(members) do
    local moved = new_path .. string.sub(m, #old_path + 1)
    redis.call('ZREM', KEYS[4], m)
    redis.call('ZADD', KEYS[4], 0, moved)
    local seg = string.match(moved, '(%d+)/$')
    redis.call('HSET', KEYS[3], tostring(tonumber(seg)), moved)
  end
  redis.call('ZREM', KEYS[5], ARGV[1])
  redis.call('ZADD', KEYS[6], tonumber(ARGV[1]), ARGV[1])
  redis.call('HSET', KEYS[1], 'parent', ARGV[11])
end
redis.call('HSET', KEYS[1], 'updated_ms', ARGV[12])
return {'ok', tostring(redis.call('HINCRBY', KEYS[1], 'version', 1))}
)lua";

// KEYS: paths, tree. ARGV: root id, offset, limit.
// Returns {total, id...} of the root's subtree (root included), depth first.
inline constexpr std::string_view kSubtreePage = R"lua(
local root = redis.call('HGET', KEYS[1], ARGV[1])
if not root then return {'org_not_found'} end
local lo, hi = '[' .. root, '(' .. root .. '\255'
local out = {'ok', redis.call('ZLEXCOUNT', KEYS[2], lo, hi)}
if tonumber(ARGV[3]) > 0 then
  for _, m in ipairs(redis.call('ZRANGEBYLEX', KEYS[2], lo, hi, 'LIMIT', ARGV[2], ARGV[3])) do
    out[#out + 1] = tostring(tonumber(string.match(m, '(%d+)/$')))
  end
end
return out
)lua";

}  // namespace seald::orgs::scripts
