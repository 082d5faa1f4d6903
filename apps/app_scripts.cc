#include "apps/app_scripts.h"

namespace seald::apps::scripts {

// The notice carries no secret and no hash: only what a cache needs to drop
// or refresh its entry.
const std::string_view kRegister = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then
  return 0
end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
-- A sequence, not the clock: two apps registered in the same millisecond
-- still list in the order they were registered.
redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[1])
redis.call('PUBLISH', 'seald:changes',
  cjson.encode({type = 'app', id = ARGV[1], client_id = ARGV[2], status = 'enabled'}))
return 1
)lua";

const std::string_view kChange = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not_found'} end
local current = redis.call('HMGET', KEYS[1], 'version', 'status', 'id', 'client_id')
if tonumber(current[1]) ~= tonumber(ARGV[1]) then return {'version_conflict'} end
if ARGV[2] == 'status' then
  if current[2] == ARGV[3] then return {'status_conflict'} end
  redis.call('HSET', KEYS[1], 'status', ARGV[3])
elseif ARGV[2] == 'rate_limit' then
  -- ARGV[3]/ARGV[5]: rate_per_s and burst; an empty rate returns the app
  -- to the configured default.
  if ARGV[3] == '' then
    redis.call('HDEL', KEYS[1], 'rate_per_s', 'burst')
  else
    redis.call('HSET', KEYS[1], 'rate_per_s', ARGV[3], 'burst', ARGV[5])
  end
else
  redis.call('HSET', KEYS[1], 'secret_sha256', ARGV[3])
end
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'updated_ms', ARGV[4])
local status = redis.call('HGET', KEYS[1], 'status')
redis.call('PUBLISH', 'seald:changes',
  cjson.encode({type = 'app', id = current[3], client_id = current[4], status = status}))
local out = {'ok'}
for _, v in ipairs(redis.call('HGETALL', KEYS[1])) do out[#out + 1] = v end
return out
)lua";

// Apps number in the hundreds at most, so a scan under the script is cheap
// and keeps the page and its total consistent. string.lower and find(plain)
// work on bytes: ASCII letters fold, and UTF-8 (Chinese names) matches
// exactly, which is what a case-insensitive search means for it.
const std::string_view kSearch = R"lua(
local needle = ARGV[1]
local field = ARGV[2]
local offset = tonumber(ARGV[3])
local limit = tonumber(ARGV[4])
local names = {'name_lc', 'competent_unit_lc', 'developer_unit_lc'}
if field ~= 'any' then names = {field .. '_lc'} end
local total = 0
local page = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local key = 'seald:apps:app:' .. id
  local match = needle == ''
  if not match then
    for _, v in ipairs(redis.call('HMGET', key, unpack(names))) do
      if v and string.find(v, needle, 1, true) then match = true break end
    end
  end
  if match then
    if total >= offset and #page < limit then
      page[#page + 1] = redis.call('HGETALL', key)
    end
    total = total + 1
  end
end
local out = {total}
for _, record in ipairs(page) do out[#out + 1] = record end
return out
)lua";

}  // namespace seald::apps::scripts
