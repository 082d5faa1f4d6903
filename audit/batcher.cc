#include "audit/batcher.h"

#include <cassert>
#include <future>
#include <utility>

namespace seald::audit {
namespace {

BatcherOptions usable(BatcherOptions options) {
  if (options.max_batch == 0) {
    options.max_batch = 1;
  }
  return options;
}

}  // namespace

AuditBatcher::AuditBatcher(AuditLog& log, BatcherOptions options)
    : log_(log), options_(usable(options)), writer_([this] { run(); }) {}

AuditBatcher::~AuditBatcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

void AuditBatcher::submit(std::vector<Record> records, Done done) {
  std::size_t count = records.size();
  {
    std::lock_guard lock(mu_);
    // One submission larger than the whole queue could never be taken, so it
    // is refused like any other that does not fit.
    if (queued_records_ + count <= options_.max_queue) {
      queued_records_ += count;
      queue_.push_back(Submission{std::move(records), std::move(done), Clock::now()});
      wake_.notify_one();
      return;
    }
  }
  {
    std::lock_guard lock(stats_mu_);
    ++stats_.rejected;
  }
  done(make_error("audit_unavailable", "audit queue full: the audit log is not keeping up"));
}

Result<std::vector<Record>> AuditBatcher::append(std::vector<Record> records) {
  assert(std::this_thread::get_id() != writer_.get_id());
  std::promise<Result<std::vector<Record>>> promise;
  auto outcome = promise.get_future();
  submit(std::move(records),
         [&promise](Result<std::vector<Record>> r) { promise.set_value(std::move(r)); });
  return outcome.get();
}

BatcherStats AuditBatcher::stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

void AuditBatcher::run() {
  Queue taken;
  while (true) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) {
        return;  // stopping, and everything queued has been completed
      }
      taken.swap(queue_);
      queued_records_ = 0;
    }
    // Split what was taken into appends of at most max_batch records without
    // cutting a submission; a submission larger than max_batch goes alone.
    std::size_t begin = 0;
    while (begin < taken.size()) {
      std::size_t end = begin;
      std::size_t records = 0;
      while (end < taken.size() &&
             (end == begin || records + taken[end].records.size() <= options_.max_batch)) {
        records += taken[end].records.size();
        ++end;
      }
      commit(taken, begin, end);
      begin = end;
    }
    taken.clear();
  }
}

void AuditBatcher::commit(Queue& queue, std::size_t begin, std::size_t end) {
  std::vector<Record> batch;
  std::vector<std::size_t> counts;
  for (std::size_t i = begin; i < end; ++i) {
    auto& mine = queue[i].records;
    counts.push_back(mine.size());
    batch.insert(batch.end(), std::make_move_iterator(mine.begin()),
                 std::make_move_iterator(mine.end()));
  }
  if (batch.empty()) {
    for (std::size_t i = begin; i < end; ++i) {
      queue[i].done(std::vector<Record>{});  // nothing to commit, nothing to count
    }
    return;
  }
  Status appended = log_.append(batch);
  auto lag =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - queue[begin].queued_at);
  {
    std::lock_guard lock(stats_mu_);
    ++stats_.batches;
    if (appended) {
      stats_.records += batch.size();
    } else {
      ++stats_.failures;
    }
    stats_.last_batch_size = batch.size();
    stats_.last_lag_us = lag.count();
  }
  if (on_batch) {
    on_batch(batch.size(), lag);
  }
  std::size_t at = 0;
  for (std::size_t i = begin; i < end; ++i) {
    auto& submission = queue[i];
    std::size_t count = counts[i - begin];
    if (!appended) {
      submission.done(appended.error());
      continue;
    }
    // Hand each submitter back its own records, now carrying id and hash.
    std::vector<Record> committed(std::make_move_iterator(batch.begin() + at),
                                  std::make_move_iterator(batch.begin() + at + count));
    at += count;
    submission.done(std::move(committed));
  }
}

}  // namespace seald::audit
