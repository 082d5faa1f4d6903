#pragma once

// The CA's state in Redis (docs/redis/pki.md): its certificate, the claim
// that lets exactly one node create it, the revoked serials and the CRL
// number. The key pair itself is on the token, never here.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "redis/pool.h"

namespace seald::pki::detail {

struct Revocation {
  std::string serial_hex;
  std::int64_t revoked_at_ms = 0;
  std::string reason;
};

class CaStore {
 public:
  explicit CaStore(redis::Pool& pool) : pool_(pool) {}

  // The root certificate's DER, or nullopt before the CA exists.
  Result<std::optional<std::vector<std::uint8_t>>> certificate();

  // Claims the right to create the CA (SET NX with a time limit, so a node
  // that dies mid-creation does not block the others for ever). True when
  // this caller holds it.
  Result<bool> claim(const std::string& nonce, std::chrono::milliseconds ttl);
  // Drops our claim if we still hold it (after a failed creation).
  Status release_claim(const std::string& nonce);
  // Stores the certificate and drops the claim in one script, only while we
  // still hold the claim and no certificate exists. Error ca_claim_lost
  // otherwise.
  Status publish_certificate(const std::vector<std::uint8_t>& der, const std::string& nonce);

  // Records a revocation unless the serial is already revoked (the first
  // time and reason stand). True when newly added.
  Result<bool> add_revocation(const Revocation& revocation);
  Result<std::vector<Revocation>> revocations();
  // The next CRL number: 1, 2, ... (INCR, so every node's CRLs share one
  // increasing sequence, as RFC 5280 section 5.2.3 asks).
  Result<long long> next_crl_number();

 private:
  redis::Pool& pool_;
};

}  // namespace seald::pki::detail
