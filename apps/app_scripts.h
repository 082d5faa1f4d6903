#pragma once

// The Lua scripts behind AppStore. Each change is one script, so the record,
// its indexes and the change notice on seald:changes happen together or not
// at all, and a refused change writes and publishes nothing.

#include <string_view>

namespace seald::apps::scripts {

// KEYS: app, client index, all, sequence. ARGV: id, client_id, then the
// record's field/value pairs. Returns 1, or 0 when the id or client_id is
// already taken (random, but a collision must not replace another app).
extern const std::string_view kRegister;

// KEYS: app. ARGV: expected_version, what ("status", "secret" or
// "rate_limit"), the new status, secret hash or rate_per_s ("" clears the
// rate limit), now_ms, and for "rate_limit" the burst. Returns
// {outcome, HGETALL...} with outcome ok, not_found, version_conflict or
// status_conflict.
extern const std::string_view kChange;

// KEYS: all. ARGV: needle (lower case; empty matches all), field (any, name,
// competent_unit, developer_unit), offset, limit. Returns {total, {HGETALL}
// of each app on the page...} in registration order.
extern const std::string_view kSearch;

}  // namespace seald::apps::scripts
