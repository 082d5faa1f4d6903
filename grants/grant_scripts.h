#pragma once

// The Lua scripts behind GrantStore. Each change is one script, so the seal
// checks, both directions of the relation, the operation record and the
// notice on seald:changes happen together, and a refused change writes and
// publishes nothing. Every key a script touches arrives in KEYS.

#include <string_view>

namespace seald::grants::scripts {

// KEYS: n seal records, n seal->apps sets, m app->seals sets, m operation
// hashes. ARGV: n, m, now_ms, actor_id, ttl_seconds, the n codes, the m app
// ids, the m operation ids. Returns {'ok', {changed of app 1}, ...} (each
// sorted), or {refusal, code} with refusal seal_not_found, seal_not_cloud or
// seal_not_grantable for the first offending code.
extern const std::string_view kGrant;

// KEYS: the app->seals set, then n seal->apps sets. ARGV: app_id, the n
// codes. Returns the sorted codes that were granted and no longer are.
extern const std::string_view kUngrant;

// KEYS: the seal->apps set, then k app->seals sets. ARGV: code, the k app ids
// the caller read from the seal->apps set. Returns 'retry' when that set no
// longer holds exactly those apps (a grant slipped in between), else the
// number of apps the seal was removed from.
extern const std::string_view kRemoveSeal;

}  // namespace seald::grants::scripts
