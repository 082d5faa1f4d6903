#pragma once

// The audit log: one append-only Redis stream (seald:audit) holding a hash
// chain of Records, with the chain's head hash in seald:audit:head. An append
// links a batch of records to the head and writes them in one Lua script, so
// nodes sharing a Redis extend one chain; a node whose idea of the head is
// stale is told the current head and relinks its batch.
//
// Committed means durable: with durability "aof" Redis replies only after its
// appendfsync-always write; with "wait" the append also waits for WAIT to be
// acknowledged by the configured number of replicas.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "audit/record.h"
#include "core/error.h"
#include "redis/pool.h"

namespace seald::audit {

struct Durability {
  bool wait_for_replicas = false;
  unsigned replicas = 1;
  std::chrono::milliseconds wait_timeout{1000};
};

struct Filter {
  std::string actor;   // exact match when set
  std::string action;  // exact match, or a prefix ending in '.' ("seal.")
  std::string target;  // exact match when set
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;  // 0: no upper bound
};

struct Page {
  std::vector<Record> records;  // newest first
  std::string next_cursor;      // empty when there is nothing older
};

struct Verification {
  bool intact = true;
  std::uint64_t checked = 0;
  std::string first_broken_id;  // the first record whose link or hash is wrong
  std::string reason;
};

class AuditLog {
 public:
  AuditLog(redis::Pool& pool, Durability durability);

  // Appends the records in order as one atomic step; fills id, prev_hash and
  // hash in each. Errors: audit_unavailable (Redis down, or replicas did not
  // acknowledge in time).
  Status append(std::vector<Record>& records);
  Status append(Record& record);

  // Newest first; cursor is the next_cursor of the previous page (empty for
  // the newest). Scans at most a bounded number of records per call.
  Result<Page> list(const Filter& filter, const std::string& cursor, std::size_t limit);

  // Walks the whole chain from the first record and names the first broken link.
  Result<Verification> verify();

  static constexpr const char* kStreamKey = "seald:audit";
  static constexpr const char* kHeadKey = "seald:audit:head";

 private:
  Result<std::string> read_head(redis::Connection& conn);

  redis::Pool& pool_;
  Durability durability_;
};

}  // namespace seald::audit
