#pragma once

// Key names and input checks shared by GrantStore's files. Internal to
// grants/: the key layout is documented in docs/redis/grants.md.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "redis/pool.h"

namespace seald::grants::detail {

std::string seal_record_key(std::string_view code);
std::string app_grants_key(std::string_view app_id);
std::string seal_grants_key(std::string_view code);
std::string operation_key(std::string_view id);

// The seal code format (docs/redis/seals.md), checked here rather than by
// linking seals/, which would pull the HSM and the CA into this target.
bool is_seal_code(std::string_view code);
// 32 lower-case hex characters.
bool is_operation_id(std::string_view id);
// app_id_invalid unless 1 to 64 bytes without control characters.
Status check_app_id(std::string_view id);

// The strings of an array reply, sorted.
std::vector<std::string> sorted_strings(const redisReply* r);
// SMEMBERS, sorted.
Result<std::vector<std::string>> set_members(redis::Pool& pool, const std::string& key);

}  // namespace seald::grants::detail
