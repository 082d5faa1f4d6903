#include "api/signing_services.h"

namespace seald::api {

// Signatures are counted by app and result, not by seal: seals number in
// the thousands and would make a series each.
SigningStats::SigningStats(metrics::Registry& r)
    : signatures(r.counter_family("seald_signatures_total",
                                  "Signatures made (result ok) and sign requests refused (result = "
                                  "error code), by app client_id.",
                                  {"app", "result"})),
      sign_latency(r.histogram("seald_sign_duration_seconds",
                               "Sign requests from arrival to answer, audit commit included.")),
      hsm_latency(r.histogram("seald_hsm_sign_duration_seconds", "One signature on the HSM.")),
      audit_batch_size(r.histogram("seald_audit_batch_records", "Records per audit group commit.",
                                   {1, 2, 4, 8, 16, 32, 64, 128, 256, 512})),
      audit_lag(r.histogram("seald_audit_commit_lag_seconds",
                            "From handing audit records over to Redis acknowledging them.")),
      resync_age(r.gauge("seald_signing_cache_resync_age_seconds",
                         "Seconds since the signing cache last reloaded everything.")) {}

}  // namespace seald::api
