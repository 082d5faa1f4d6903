#pragma once

// How a seal is laid out in its Redis HASH (docs/redis/seals.md): shared by
// the store's plain reads and the lifecycle scripts, which return the record
// as it is after their change.

#include <hiredis/hiredis.h>

#include <string>
#include <string_view>
#include <vector>

#include "seals/seal.h"

namespace seald::seals {

inline constexpr std::string_view kAllSeals = "seald:seals:all";
// Codes of seals whose cleanup marker is not empty (maintain() retries them).
inline constexpr std::string_view kSealsWithCleanup = "seald:seals:cleanup";

// The hash field that holds one cleanup step of the marker.
inline constexpr std::string_view kCleanupPrefix = "cleanup:";

// Steps of the cleanup marker. The certificate step's detail is
// "<CRLReason> <revoked_at_ms>"; the others have none.
inline constexpr std::string_view kRevokeCertificate = "revoke_certificate:";  // + serial
inline constexpr std::string_view kDestroyKey = "destroy_key:";                // + key id
inline constexpr std::string_view kRemoveGrants = "remove_grants";

// A seal from an HGETALL reply (field/value pairs).
Seal parse_seal_record(const redisReply* reply);

// The field/value pairs of a new seal's record (version 1).
std::vector<std::string> seal_record_fields(const Seal& seal);

}  // namespace seald::seals
