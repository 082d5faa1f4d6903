#include "identity/users.h"

#include <chrono>

#include "identity/crypto.h"
#include "identity/keys.h"
#include "identity/validation.h"

namespace seald::identity {
namespace {

// KEYS: code, mobile index, ID index, users zset, id counter.
// ARGV: code hash, max attempts, mobile, ID digest, now, name, ID number,
// password hash, user key prefix.
constexpr std::string_view kRegisterBody = R"lua(
local err = check_code(KEYS[1], ARGV[1], tonumber(ARGV[2]))
if err then return {0, err} end
if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 then return {0, 'mobile_taken'} end
if redis.call('HEXISTS', KEYS[3], ARGV[4]) == 1 then return {0, 'id_number_taken'} end
local id = 'u' .. redis.call('INCR', KEYS[5])
local key = ARGV[9] .. id
redis.call('HSET', key, 'version', 1, 'name', ARGV[6], 'mobile', ARGV[3], 'id_number', ARGV[7],
  'password_hash', ARGV[8], 'created_ms', ARGV[5], 'updated_ms', ARGV[5])
redis.call('HSET', KEYS[2], ARGV[3], id)
redis.call('HSET', KEYS[3], ARGV[4], id)
redis.call('ZADD', KEYS[4], ARGV[5], id)
redis.call('DEL', KEYS[1])
return {1, id, redis.call('HGETALL', key)}
)lua";

// KEYS: user. ARGV: expected version, name, now.
constexpr std::string_view kUpdateNameScript = R"lua(
local v = redis.call('HGET', KEYS[1], 'version')
if not v then return {0, 'user_not_found'} end
if v ~= ARGV[1] then return {0, 'user_version_conflict'} end
redis.call('HSET', KEYS[1], 'name', ARGV[2], 'updated_ms', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'version', 1)
return {1, '', redis.call('HGETALL', KEYS[1])}
)lua";

// KEYS: user, code, mobile index. ARGV: expected version, code hash, max
// attempts, new mobile, now, user id.
constexpr std::string_view kChangeMobileBody = R"lua(
local cur = redis.call('HMGET', KEYS[1], 'version', 'mobile')
if not cur[1] then return {0, 'user_not_found'} end
if cur[1] ~= ARGV[1] then return {0, 'user_version_conflict'} end
if cur[2] == ARGV[4] then return {0, 'mobile_unchanged'} end
local err = check_code(KEYS[2], ARGV[2], tonumber(ARGV[3]))
if err then return {0, err} end
if redis.call('HEXISTS', KEYS[3], ARGV[4]) == 1 then return {0, 'mobile_taken'} end
if cur[2] and cur[2] ~= '' then redis.call('HDEL', KEYS[3], cur[2]) end
redis.call('HSET', KEYS[3], ARGV[4], ARGV[6])
redis.call('HSET', KEYS[1], 'mobile', ARGV[4], 'updated_ms', ARGV[5])
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('DEL', KEYS[2])
return {1, '', redis.call('HGETALL', KEYS[1])}
)lua";

// KEYS: login name index, users zset, id counter. ARGV: login name, display
// name, password hash, now, user key prefix.
constexpr std::string_view kUpsertSystemScript = R"lua(
local id = redis.call('HGET', KEYS[1], ARGV[1])
local created = 0
if id then
  local key = ARGV[5] .. id
  redis.call('HSET', key, 'password_hash', ARGV[3], 'updated_ms', ARGV[4])
  redis.call('HINCRBY', key, 'version', 1)
else
  created = 1
  id = 'u' .. redis.call('INCR', KEYS[3])
  redis.call('HSET', ARGV[5] .. id, 'version', 1, 'name', ARGV[2], 'mobile', '', 'id_number', '',
    'login_name', ARGV[1], 'password_hash', ARGV[3], 'created_ms', ARGV[4], 'updated_ms', ARGV[4])
  redis.call('HSET', KEYS[1], ARGV[1], id)
  redis.call('ZADD', KEYS[2], ARGV[4], id)
end
return {1, id, redis.call('HGETALL', ARGV[5] .. id), created}
)lua";

std::string now_ms() {
  using namespace std::chrono;
  return std::to_string(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

Error refusal(std::string_view code) {
  if (code == "code_invalid" || code == "code_attempts_exceeded") {
    return code_error(code);
  }
  if (code == "mobile_taken") {
    return make_error("mobile_taken", "this mobile number belongs to another user");
  }
  if (code == "id_number_taken") {
    return make_error("id_number_taken", "this ID number is already registered");
  }
  if (code == "user_not_found") {
    return make_error("user_not_found", "no such user");
  }
  if (code == "user_version_conflict") {
    return make_error("user_version_conflict",
                      "the user was changed by someone else; reload and try again");
  }
  if (code == "mobile_unchanged") {
    return make_error("mobile_unchanged", "the new mobile number is the current one");
  }
  return make_error("internal_error", "unexpected refusal from the user store");
}

// Scripts answer {0, code} or {1, id, HGETALL of the user, ...}.
Result<User> user_from_script(const Result<redis::Reply>& reply, std::string_view known_id) {
  if (!reply) {
    return reply.error();
  }
  const redisReply* raw = reply->raw();
  if (raw->type != REDIS_REPLY_ARRAY || raw->elements < 2) {
    return make_error("internal_error", "unexpected reply from the user store");
  }
  if (raw->element[0]->integer == 0) {
    return refusal({raw->element[1]->str, raw->element[1]->len});
  }
  std::string id(raw->element[1]->str, raw->element[1]->len);
  return user_from_fields(id.empty() ? std::string(known_id) : id,
                          raw->elements > 2 ? raw->element[2] : nullptr);
}

bool valid_login_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 32 || name[0] < 'a' || name[0] > 'z') {
    return false;
  }
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Users::id_number_digest(std::string_view normalized_id_number) {
  std::string material = "seald.identity.id_number";
  material.push_back('\0');
  material.append(normalized_id_number);
  return sha256_hex(material);
}

Result<User> Users::register_user(const Registration& r) {
  if (auto ok = validate_name(r.name); !ok) {
    return ok.error();
  }
  auto id_number = normalize_id_number(r.id_number);
  if (!id_number) {
    return id_number.error();
  }
  if (auto ok = validate_mobile(r.mobile); !ok) {
    return ok.error();
  }
  if (auto ok = validate_password(r.password.reveal()); !ok) {
    return ok.error();
  }
  auto hash = hasher_.hash(r.password.reveal());
  if (!hash) {
    return hash.error();
  }
  std::string script = std::string(kCheckCodeLua) + std::string(kRegisterBody);
  std::string code_key = keys::code(to_string(CodePurpose::register_account), r.mobile);
  std::string code_hash =
      VerificationCodes::candidate_hash(CodePurpose::register_account, r.mobile, r.code);
  std::string max_attempts = std::to_string(codes_.options().max_attempts);
  std::string digest = id_number_digest(*id_number);
  std::string now = now_ms();
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  return user_from_script(
      (*lease)->command({"EVAL", script, "5", code_key, keys::kMobileIndex, keys::kIdNumberIndex,
                         keys::kUsers, keys::kNextUserId, code_hash, max_attempts, r.mobile, digest,
                         now, r.name, *id_number, *hash, keys::kUserPrefix}),
      "");
}

Result<User> Users::get(std::string_view user_id) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"HGETALL", keys::user(user_id)});
  if (!reply) {
    return reply.error();
  }
  if (reply->size() == 0) {
    return refusal("user_not_found");
  }
  return user_from_fields(std::string(user_id), reply->raw());
}

Result<UserPage> Users::list(std::size_t offset, std::size_t limit) {
  limit = std::min(limit, kMaxPageSize);
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  UserPage page;
  auto total = (*lease)->command({"ZCARD", keys::kUsers});
  if (!total) {
    return total.error();
  }
  page.total = static_cast<std::uint64_t>(total->integer());
  if (limit == 0 || offset >= page.total) {
    return page;
  }
  auto ids = (*lease)->command(
      {"ZREVRANGE", keys::kUsers, std::to_string(offset), std::to_string(offset + limit - 1)});
  if (!ids) {
    return ids.error();
  }
  std::vector<std::string> user_keys;
  std::vector<std::vector<std::string_view>> cmds;
  for (std::size_t i = 0; i < ids->size(); ++i) {
    user_keys.push_back(keys::user({ids->element(i)->str, ids->element(i)->len}));
  }
  for (const auto& k : user_keys) {
    cmds.push_back({"HGETALL", k});
  }
  auto replies = (*lease)->pipeline(cmds);
  if (!replies) {
    return replies.error();
  }
  for (std::size_t i = 0; i < replies->size(); ++i) {
    const redisReply* r = (*replies)[i].get();
    if (r->type == REDIS_REPLY_ARRAY && r->elements > 0) {
      page.items.push_back(user_from_fields({ids->element(i)->str, ids->element(i)->len}, r));
    }
  }
  return page;
}

Result<User> Users::update_name(std::string_view user_id, std::int64_t expected_version,
                                std::string_view name) {
  if (auto ok = validate_name(name); !ok) {
    return ok.error();
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  return user_from_script((*lease)->command({"EVAL", kUpdateNameScript, "1", keys::user(user_id),
                                             std::to_string(expected_version), name, now_ms()}),
                          user_id);
}

Result<User> Users::change_mobile(std::string_view user_id, std::int64_t expected_version,
                                  std::string_view new_mobile, std::string_view code) {
  if (auto ok = validate_mobile(new_mobile); !ok) {
    return ok.error();
  }
  std::string script = std::string(kCheckCodeLua) + std::string(kChangeMobileBody);
  std::string code_key = keys::code(to_string(CodePurpose::change_mobile), new_mobile);
  std::string code_hash =
      VerificationCodes::candidate_hash(CodePurpose::change_mobile, new_mobile, code);
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  return user_from_script(
      (*lease)->command({"EVAL", script, "3", keys::user(user_id), code_key, keys::kMobileIndex,
                         std::to_string(expected_version), code_hash,
                         std::to_string(codes_.options().max_attempts), new_mobile, now_ms(),
                         user_id}),
      user_id);
}

Result<std::pair<User, bool>> Users::upsert_system_account(std::string_view login_name,
                                                           std::string_view display_name,
                                                           const Secret& password) {
  if (!valid_login_name(login_name)) {
    return make_error("login_name_invalid",
                      "login name must be 3-32 characters of a-z, 0-9 and '-', starting "
                      "with a letter");
  }
  if (auto ok = validate_name(display_name); !ok) {
    return ok.error();
  }
  if (auto ok = validate_password(password.reveal()); !ok) {
    return ok.error();
  }
  auto hash = hasher_.hash(password.reveal());
  if (!hash) {
    return hash.error();
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"EVAL", kUpsertSystemScript, "3", keys::kLoginNameIndex,
                                  keys::kUsers, keys::kNextUserId, login_name, display_name, *hash,
                                  now_ms(), keys::kUserPrefix});
  auto user = user_from_script(reply, "");
  if (!user) {
    return user.error();
  }
  return std::pair<User, bool>{std::move(*user), reply->element(3)->integer == 1};
}

Result<std::optional<StoredCredentials>> Users::find_credentials(std::string_view login) {
  std::string index;
  std::string field;
  if (validate_mobile(login)) {
    index = keys::kMobileIndex;
    field = login;
  } else if (auto id_number = normalize_id_number(login)) {
    index = keys::kIdNumberIndex;
    field = id_number_digest(*id_number);
  } else if (valid_login_name(login)) {
    index = keys::kLoginNameIndex;
    field = login;
  } else {
    return std::optional<StoredCredentials>{};
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto id = (*lease)->command({"HGET", index, field});
  if (!id) {
    return id.error();
  }
  if (id->is_nil()) {
    return std::optional<StoredCredentials>{};
  }
  StoredCredentials creds{std::string(id->str()), ""};
  auto hash = (*lease)->command({"HGET", keys::user(creds.user_id), "password_hash"});
  if (!hash) {
    return hash.error();
  }
  if (hash->is_nil()) {
    return std::optional<StoredCredentials>{};
  }
  creds.password_hash = hash->str();
  return std::optional<StoredCredentials>{std::move(creds)};
}

}  // namespace seald::identity
