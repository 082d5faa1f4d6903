#include "seals/seal_scripts.h"

namespace seald::seals::scripts {

// HSETNX for the marker: a step already waiting keeps its first detail (the
// revocation time of a certificate must not move with each retry).
const std::string_view kChangeStatus = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 'not_found' end
if tonumber(redis.call('HGET', KEYS[1], 'version')) ~= tonumber(ARGV[2]) then
  return 'version_conflict'
end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'status', ARGV[3], 'changed_ms', ARGV[4], 'changed_by', ARGV[5],
  'change_reason', ARGV[6], 'change_application_id', ARGV[7])
for i = 8, #ARGV - 1, 2 do
  redis.call('HSETNX', KEYS[1], 'cleanup:' .. ARGV[i], ARGV[i + 1])
end
if #ARGV >= 9 then redis.call('SADD', KEYS[2], ARGV[1]) end
redis.call('PUBLISH', 'seald:changes',
  cjson.encode({type = 'seal', code = ARGV[1], status = ARGV[3], version = version}))
return redis.call('HGETALL', KEYS[1])
)lua";

const std::string_view kSwitchKey = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 'not_found' end
if tonumber(redis.call('HGET', KEYS[1], 'version')) ~= tonumber(ARGV[2]) then
  return 'version_conflict'
end
local n = 1
while redis.call('HEXISTS', KEYS[1], 'prev_cert_' .. n .. '_serial') == 1 do n = n + 1 end
local old = redis.call('HMGET', KEYS[1], 'cert_serial', 'cert_der')
if old[1] then
  redis.call('HSET', KEYS[1], 'prev_cert_' .. n .. '_serial', old[1],
    'prev_cert_' .. n .. '_der', old[2])
end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'status', 'active', 'changed_ms', ARGV[3], 'changed_by', ARGV[4],
  'change_reason', ARGV[5], 'change_application_id', ARGV[6], 'key_id', ARGV[7],
  'key_algorithm', ARGV[8], 'cert_serial', ARGV[9], 'cert_der', ARGV[10])
for i = 11, #ARGV - 1, 2 do
  redis.call('HSETNX', KEYS[1], 'cleanup:' .. ARGV[i], ARGV[i + 1])
end
if #ARGV >= 12 then redis.call('SADD', KEYS[2], ARGV[1]) end
redis.call('PUBLISH', 'seald:changes',
  cjson.encode({type = 'seal', code = ARGV[1], status = 'active', version = version}))
return redis.call('HGETALL', KEYS[1])
)lua";

// A counter of its own rather than a count of reissues: a reissue that fails
// after making its key must not hand the same id to the next attempt.
const std::string_view kNextKeyNumber = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
return redis.call('HINCRBY', KEYS[1], 'key_seq', 1)
)lua";

const std::string_view kFinishStep = R"lua(
redis.call('HDEL', KEYS[1], 'cleanup:' .. ARGV[2])
local left = 0
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(field, 1, 8) == 'cleanup:' then left = left + 1 end
end
if left == 0 then redis.call('SREM', KEYS[2], ARGV[1]) end
return left
)lua";

}  // namespace seald::seals::scripts
