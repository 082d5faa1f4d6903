#pragma once

// Key names and small helpers shared by the files that implement OrgStore.
// Not part of the public API.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "orgs/organisation.h"
#include "redis/connection.h"

namespace seald::orgs::internal {

inline constexpr std::string_view kNextIdKey = "seald:orgs:next_id";
inline constexpr std::string_view kByCodeKey = "seald:orgs:by_credit_code";
inline constexpr std::string_view kPathsKey = "seald:orgs:paths";
inline constexpr std::string_view kTreeKey = "seald:orgs:tree";
inline constexpr std::string_view kRootsKey = "seald:orgs:roots";
inline constexpr std::size_t kMaxIdDigits = 12;  // one fixed-width path segment

std::string org_key(std::string_view id);
// The children set of a parent, or the roots set for an empty parent.
std::string siblings_key(std::string_view parent_id);
// Ids come from INCR; anything else cannot name an organisation, and
// refusing it early keeps arbitrary text out of key names.
bool well_formed_id(std::string_view id);
// Zero-padded so that lexicographic order of paths is creation order.
std::string path_segment(std::string_view id);
std::int64_t now_ms();

Error not_found(std::string_view id);

Result<redis::Reply> eval(redis::Connection& conn, std::string_view script,
                          const std::vector<std::string>& keys,
                          const std::vector<std::string>& args);
// Scripts answer {'ok', ...} or {code, detail?}; turns the latter into an Error.
Status script_status(const redis::Reply& reply, std::string_view id, std::string_view code,
                     std::string_view parent);

std::int64_t to_int(std::string_view s);
std::string text_of(const redisReply* r);
Organisation parse_org(const redisReply* hgetall);
Result<Organisation> read_org(redis::Connection& conn, std::string_view id);

}  // namespace seald::orgs::internal
