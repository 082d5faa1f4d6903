#pragma once

// The Lua scripts behind a seal's lifecycle (seals/lifecycle.h). A change is
// one script: the compare-and-set on the version the caller read, the new
// state, the cleanup marker and the notice on seald:changes happen together
// or not at all, so a node hears of a revocation in the same step as it is
// recorded, and a refused change writes and publishes nothing.

#include <string_view>

namespace seald::seals::scripts {

// KEYS: seal, seals-with-cleanup set. ARGV: code, seen_version, status,
// changed_ms, changed_by, change_reason, change_application_id, then cleanup
// step/detail pairs. Returns the record (HGETALL) after the change, or
// 'not_found' / 'version_conflict'.
extern const std::string_view kChangeStatus;

// Reissue's switch to a new key and certificate; the seal becomes active and
// its current certificate moves to the next prev_cert_<n>. KEYS as above.
// ARGV: code, seen_version, changed_ms, changed_by, change_reason,
// change_application_id, key_id, key_algorithm, cert_serial, cert_der, then
// cleanup step/detail pairs. Returns as kChangeStatus.
extern const std::string_view kSwitchKey;

// KEYS: seal. Returns the next reissue key number (from 1), or -1 when the
// seal does not exist.
extern const std::string_view kNextKeyNumber;

// KEYS: seal, seals-with-cleanup set. ARGV: code, step. Removes the step
// from the marker; returns how many steps remain.
extern const std::string_view kFinishStep;

}  // namespace seald::seals::scripts
