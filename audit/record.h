#pragma once

// One audit record: a management action or (later) one signature. Records
// live in one Redis stream and form a hash chain: each carries the hash of
// the record before it, and its own hash covers that link and every field,
// so changing, removing or reordering a record breaks the chain at a point
// the verifier can name.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace seald::audit {

struct Record {
  std::int64_t time_ms = 0;
  std::string actor;       // "user:<id>", "app:<client_id>" or "system"
  std::string action;      // e.g. "application.create", "seal.revoke", "sign"
  std::string target;      // e.g. "application:42", "seal:<code>"
  std::string result;      // "ok" or the error code of a refusal
  std::string request_id;  // the X-Request-Id of the request that did it
  std::string client;      // the client's address
  // Short before/after summaries and action-specific fields (for a
  // signature: seal code, certificate serial, hash algorithm, hash).
  std::vector<std::pair<std::string, std::string>> details;

  // Filled by the log: the stream entry id, the previous record's hash and
  // this record's hash (hex SHA-256).
  std::string id;
  std::string prev_hash;
  std::string hash;
};

// The hash of the first record's predecessor.
inline const std::string kGenesisHash(64, '0');

// Length-prefixed, fixed-order bytes of every field but id and hash:
// unambiguous, so two different records never serialise alike.
std::string canonical_bytes(const Record& record);

// hex(SHA-256(canonical_bytes(record))), with record.prev_hash already set.
std::string compute_hash(const Record& record);

}  // namespace seald::audit
