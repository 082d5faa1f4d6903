#include "grants/grant_scripts.h"

namespace seald::grants::scripts {

// All seals are checked before anything is written, so a refusal leaves Redis
// as it was. "now" comes from the node's clock (ARGV), the same clock the
// signing path judges validity by. Members are added one SADD at a time:
// unpack() of a 5000-code batch would overflow the Lua stack.
const std::string_view kGrant = R"lua(
local n = tonumber(ARGV[1])
local m = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local actor = ARGV[4]
local ttl = ARGV[5]
local codes = {}
for i = 1, n do
  local code = ARGV[5 + i]
  codes[i] = code
  if redis.call('EXISTS', KEYS[i]) == 0 then return {'seal_not_found', code} end
  local seal = redis.call('HMGET', KEYS[i], 'usage', 'status', 'not_after_ms')
  if seal[1] ~= 'cloud' then return {'seal_not_cloud', code} end
  local not_after = tonumber(seal[3])
  if seal[2] == 'revoked' or seal[2] == 'expired' or not_after == nil or not_after <= now then
    return {'seal_not_grantable', code}
  end
end
local out = {'ok'}
for j = 1, m do
  local app = ARGV[5 + n + j]
  local op = ARGV[5 + n + m + j]
  local app_key = KEYS[2 * n + j]
  local changed = {}
  for i = 1, n do
    if redis.call('SADD', app_key, codes[i]) == 1 then
      changed[#changed + 1] = codes[i]
    end
    -- Unconditional, so the reverse direction heals if it was ever lost.
    redis.call('SADD', KEYS[n + i], app)
  end
  if #changed > 0 then
    table.sort(changed)
    local op_key = KEYS[2 * n + m + j]
    redis.call('HSET', op_key, 'app_id', app, 'actor_id', actor, 'at_ms', ARGV[3],
      'seals', table.concat(changed, ','))
    redis.call('EXPIRE', op_key, ttl)
    redis.call('PUBLISH', 'seald:changes',
      cjson.encode({type = 'grants', op = 'grant', app_id = app, seals = changed}))
  end
  out[#out + 1] = changed
end
return out
)lua";

// No seal check: clearing the grants of a revoked or deleted seal must work.
const std::string_view kUngrant = R"lua(
local app = ARGV[1]
local changed = {}
for i = 2, #ARGV do
  if redis.call('SREM', KEYS[1], ARGV[i]) == 1 then
    changed[#changed + 1] = ARGV[i]
  end
  redis.call('SREM', KEYS[i], app)
end
if #changed > 0 then
  table.sort(changed)
  redis.call('PUBLISH', 'seald:changes',
    cjson.encode({type = 'grants', op = 'ungrant', app_id = app, seals = changed}))
end
return changed
)lua";

const std::string_view kRemoveSeal = R"lua(
local code = ARGV[1]
local k = #ARGV - 1
if redis.call('SCARD', KEYS[1]) ~= k then return 'retry' end
for j = 1, k do
  if redis.call('SISMEMBER', KEYS[1], ARGV[1 + j]) == 0 then return 'retry' end
end
if k == 0 then return 0 end
local apps = {}
for j = 1, k do
  redis.call('SREM', KEYS[1 + j], code)
  apps[j] = ARGV[1 + j]
end
redis.call('DEL', KEYS[1])
table.sort(apps)
redis.call('PUBLISH', 'seald:changes',
  cjson.encode({type = 'grants', op = 'remove_seal', seal = code, apps = apps}))
return k
)lua";

}  // namespace seald::grants::scripts
