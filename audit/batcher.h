#pragma once

// Group commit for the audit log. The signing path must not hand out a
// signature before its audit record is committed, and one Redis round trip
// (plus, with appendfsync always, one fsync) per signature would cap the
// service at the disk's fsync rate. So callers submit their records to one
// writer thread, which takes everything queued, appends it in one
// AuditLog::append, and then completes every submitter with its own records
// (id and hash filled) or, if that append failed, with audit_unavailable.
//
// A batch is all or nothing: every submission in a failed append fails,
// none succeeds partly. Nothing is retried here; the pool reconnects by
// itself, so the next submission after Redis comes back succeeds.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "audit/log.h"
#include "audit/record.h"
#include "core/error.h"

namespace seald::audit {

struct BatcherOptions {
  std::size_t max_batch = 512;    // records per append
  std::size_t max_queue = 65536;  // records waiting; beyond it submit fails at once
};

struct BatcherStats {
  std::uint64_t batches = 0;   // appends attempted
  std::uint64_t records = 0;   // records committed
  std::uint64_t failures = 0;  // appends that failed (each failed all its submissions)
  std::size_t last_batch_size = 0;
  std::int64_t last_lag_us = 0;  // oldest submission's wait, queued to acknowledged
  std::uint64_t rejected = 0;    // submissions refused because the queue was full
};

class AuditBatcher {
 public:
  using Done = std::function<void(Result<std::vector<Record>>)>;  // records with id/hash filled

  AuditBatcher(AuditLog& log, BatcherOptions options = {});
  // Completes everything queued (appending it), then stops the thread.
  ~AuditBatcher();
  AuditBatcher(const AuditBatcher&) = delete;
  AuditBatcher& operator=(const AuditBatcher&) = delete;

  // Queues the records, kept together and in order in one append. `done`
  // runs on the batcher's thread once Redis acknowledged them, or with
  // audit_unavailable when the append failed. When the queue is full `done`
  // runs at once, on the caller's thread, with audit_unavailable. `done`
  // must not throw and should be quick: it delays the next batch.
  void submit(std::vector<Record> records, Done done);

  // Blocking convenience for callers on worker threads. Must not be called
  // from a `done` callback (the batcher would wait for itself).
  Result<std::vector<Record>> append(std::vector<Record> records);

  // Observability hooks for metrics (set before use; called on the batcher
  // thread after each successful or failed append).
  std::function<void(std::size_t batch_size, std::chrono::microseconds lag)> on_batch;

  BatcherStats stats() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Submission {
    std::vector<Record> records;
    Done done;
    Clock::time_point queued_at;
  };
  using Queue = std::vector<Submission>;

  void run();
  // Appends queue[begin, end) as one batch and completes those submissions.
  void commit(Queue& queue, std::size_t begin, std::size_t end);

  AuditLog& log_;
  BatcherOptions options_;

  std::mutex mu_;
  std::condition_variable wake_;
  Queue queue_;
  std::size_t queued_records_ = 0;
  bool stopping_ = false;

  mutable std::mutex stats_mu_;
  BatcherStats stats_;

  std::thread writer_;  // last: starts once everything above exists
};

}  // namespace seald::audit
