#pragma once

// May this app sign with this seal now? A pure function of one snapshot, so
// one request sees one consistent state and the rules can be tested without
// Redis.

#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "signing/state_cache.h"

namespace seald::signing {

// The seal to sign with, or the first refusal in this order:
//   token_invalid     the app is not known (a token of a deleted app)
//   app_disabled      the app is disabled
//   seal_not_found    no such seal
//   seal_revoked, seal_suspended, seal_expired
//                     by the seal's effective status (seals::effective_status:
//                     an active or suspended seal past not_after is expired)
//   seal_not_cloud    the seal's key is not in our HSM
//   seal_not_granted  the seal is not granted to the app (always so for a
//                     ukey app: its seals are on the holder's UKey). Last,
//                     because revoking a seal removes its grants and its
//                     holder should hear seal_revoked.
Result<const SealState*> decide(const Snapshot& snapshot, std::string_view app_id,
                                std::string_view seal_code, std::int64_t now_ms);

}  // namespace seald::signing
