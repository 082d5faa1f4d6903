// Group commit against a real redis-server (AOF, appendfsync always): many
// submitters, one writer, one append per batch, and every submitter told
// whether its own records were committed.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "audit/batcher.h"
#include "tests/support/redis_server.h"

namespace seald::audit {
namespace {

using seald::testing::RedisServer;
using namespace std::chrono_literals;

redis::Endpoint endpoint_for(const RedisServer& server) {
  redis::Endpoint e;
  e.port = server.port();
  e.connect_timeout = 500ms;
  e.command_timeout = 1000ms;
  return e;
}

Record signature(const std::string& target) {
  Record r;
  r.time_ms = 1'700'000'000'000;
  r.actor = "app:ledger";
  r.action = "sign";
  r.target = target;
  r.result = "ok";
  r.request_id = "req-" + target;
  r.client = "10.0.0.8";
  r.details = {{"seal", "S-0001"}, {"hash_alg", "sha256"}};
  return r;
}

// Collects completions from the batcher thread and lets the test wait for a
// given number of them without hanging when one never comes.
class Completions {
 public:
  AuditBatcher::Done expect(std::vector<std::string> targets) {
    return [this, targets = std::move(targets)](Result<std::vector<Record>> r) {
      std::lock_guard lock(mu_);
      if (!r) {
        errors_.push_back(r.error());
      } else if (r->size() != targets.size()) {
        mismatches_.push_back("got " + std::to_string(r->size()) + " records back");
      } else {
        for (std::size_t i = 0; i < targets.size(); ++i) {
          if ((*r)[i].target != targets[i]) {
            mismatches_.push_back((*r)[i].target + " returned for " + targets[i]);
          }
        }
        committed_.push_back(std::move(*r));
      }
      ++done_;
      cv_.notify_all();
    };
  }
  bool wait_for(std::size_t n, std::chrono::milliseconds limit = 30s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return done_ >= n; });
  }
  std::size_t done() {
    std::lock_guard lock(mu_);
    return done_;
  }
  // Read after wait_for: the batcher thread no longer touches these.
  std::vector<std::vector<Record>> committed_;
  std::vector<Error> errors_;
  std::vector<std::string> mismatches_;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::size_t done_ = 0;
};

// Stream ids oldest first.
std::vector<std::string> stream_ids(AuditLog& log) {
  auto page = log.list({}, "", 100'000);
  EXPECT_TRUE(page);
  std::vector<std::string> ids;
  for (auto it = page->records.rbegin(); it != page->records.rend(); ++it) {
    ids.push_back(it->id);
  }
  return ids;
}

class BatcherTest : public ::testing::Test {
 protected:
  RedisServer server;
  redis::Pool pool{endpoint_for(server), 4};
  AuditLog log{pool, Durability{}};
};

TEST_F(BatcherTest, ConcurrentSubmittersShareAppends) {
  constexpr int kThreads = 8;
  constexpr int kEach = 200;
  Completions completions;
  std::atomic<std::size_t> reported{0};
  {
    AuditBatcher batcher(log);
    batcher.on_batch = [&](std::size_t size, std::chrono::microseconds lag) {
      reported += size;
      EXPECT_GE(lag.count(), 0);
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          std::string target = "doc:" + std::to_string(t) + "-" + std::to_string(i);
          batcher.submit({signature(target)}, completions.expect({target}));
        }
      });
    }
    for (auto& th : threads) {
      th.join();
    }
    ASSERT_TRUE(completions.wait_for(kThreads * kEach)) << "only " << completions.done();
    auto stats = batcher.stats();
    EXPECT_EQ(stats.records, 1600u);
    EXPECT_EQ(stats.failures, 0u);
    EXPECT_LT(stats.batches, 1600u) << "no two submissions shared an append";
    EXPECT_GT(stats.last_batch_size, 0u);
  }
  EXPECT_TRUE(completions.errors_.empty()) << completions.errors_.front().message;
  EXPECT_TRUE(completions.mismatches_.empty()) << completions.mismatches_.front();
  EXPECT_EQ(reported.load(), 1600u);

  std::set<std::string> ids;
  for (const auto& records : completions.committed_) {
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].hash.size(), 64u);
    ids.insert(records[0].id);
  }
  EXPECT_EQ(ids.size(), 1600u) << "every record has its own stream id";
  EXPECT_EQ(server.cli({"XLEN", AuditLog::kStreamKey}), "1600");
  auto v = log.verify();
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->intact) << v->reason << " at " << v->first_broken_id;
  EXPECT_EQ(v->checked, 1600u);
}

TEST_F(BatcherTest, ASubmissionsRecordsStayTogetherAndInOrder) {
  Completions completions;
  std::size_t submissions = 0;
  std::vector<std::size_t> batch_sizes;  // written on the batcher thread only
  {
    // A small max_batch makes the writer split what it takes; a submission
    // must never be cut across two appends, even one larger than max_batch.
    AuditBatcher batcher(log, BatcherOptions{4, 65536});
    batcher.on_batch = [&](std::size_t size, std::chrono::microseconds) {
      batch_sizes.push_back(size);
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 40; ++i) {
          std::size_t size = (t == 0 && i % 10 == 0) ? 9 : 1 + static_cast<std::size_t>(i % 3);
          std::vector<Record> records;
          std::vector<std::string> targets;
          for (std::size_t k = 0; k < size; ++k) {
            targets.push_back("doc:" + std::to_string(t) + "-" + std::to_string(i) + "/" +
                              std::to_string(k));
            records.push_back(signature(targets.back()));
          }
          batcher.submit(std::move(records), completions.expect(targets));
        }
      });
    }
    for (auto& th : threads) {
      th.join();
    }
    submissions = 4 * 40;
    ASSERT_TRUE(completions.wait_for(submissions));
  }
  ASSERT_TRUE(completions.errors_.empty()) << completions.errors_.front().message;
  ASSERT_TRUE(completions.mismatches_.empty()) << completions.mismatches_.front();

  // Each 9-record submission went in one append of its own; every other
  // append respected max_batch.
  EXPECT_EQ(std::count(batch_sizes.begin(), batch_sizes.end(), 9u), 4);
  for (std::size_t size : batch_sizes) {
    EXPECT_TRUE(size <= 4 || size == 9) << size;
  }

  std::map<std::string, std::size_t> position;
  auto ids = stream_ids(log);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    position[ids[i]] = i;
  }
  ASSERT_EQ(completions.committed_.size(), submissions);
  for (const auto& records : completions.committed_) {
    std::size_t first = position.at(records.front().id);
    for (std::size_t k = 1; k < records.size(); ++k) {
      EXPECT_EQ(position.at(records[k].id), first + k)
          << records[k].target << " is not right after " << records[k - 1].target;
      EXPECT_EQ(records[k].prev_hash, records[k - 1].hash);
    }
  }
  auto v = log.verify();
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->intact) << v->reason;
}

TEST_F(BatcherTest, RedisDownFailsEverySubmissionThenRecovers) {
  AuditBatcher batcher(log);
  auto before = batcher.append({signature("doc:before")});
  ASSERT_TRUE(before) << before.error().message;

  server.stop();
  Completions down;
  auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string target = "doc:down-" + std::to_string(t) + "-" + std::to_string(i);
        batcher.submit({signature(target)}, down.expect({target}));
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  ASSERT_TRUE(down.wait_for(40, 20s)) << "submissions hung while Redis was down";
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
  EXPECT_TRUE(down.committed_.empty()) << "no submission may succeed while Redis is down";
  ASSERT_EQ(down.errors_.size(), 40u);
  for (const auto& e : down.errors_) {
    EXPECT_EQ(e.code, "audit_unavailable") << e.message;
  }
  EXPECT_GT(batcher.stats().failures, 0u);

  server.start();
  auto after = batcher.append({signature("doc:after"), signature("doc:after/2")});
  ASSERT_TRUE(after) << "the batcher recovers without a restart: " << after.error().message;
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[0].prev_hash, (*before)[0].hash) << "the failed batches left no trace";

  auto v = log.verify();
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->intact) << v->reason;
  EXPECT_EQ(v->checked, 3u);
}

TEST_F(BatcherTest, DestructorCompletesEverythingQueued) {
  Completions completions;
  constexpr std::size_t kCount = 300;
  // Hold the writer inside the first completion so the rest is still queued
  // when the destructor runs.
  std::mutex gate;
  {
    AuditBatcher batcher(log);
    std::unique_lock held(gate);  // after the batcher: released before it drains
    auto first = completions.expect({"doc:0"});
    batcher.submit({signature("doc:0")}, [&, first](Result<std::vector<Record>> r) {
      std::lock_guard wait_for_release(gate);
      first(std::move(r));
    });
    for (std::size_t i = 1; i < kCount; ++i) {
      std::string target = "doc:" + std::to_string(i);
      batcher.submit({signature(target)}, completions.expect({target}));
    }
    EXPECT_LE(completions.done(), 1u);
    held.unlock();
  }
  EXPECT_EQ(completions.done(), kCount) << "the destructor returned before completing all";
  EXPECT_TRUE(completions.errors_.empty());
  EXPECT_EQ(server.cli({"XLEN", AuditLog::kStreamKey}), std::to_string(kCount));
}

TEST_F(BatcherTest, AFullQueueRefusesAtOnce) {
  std::mutex gate;
  Completions completions;
  AuditBatcher batcher(log, BatcherOptions{512, 4});
  std::unique_lock held(gate);  // after the batcher: released before it drains
  // The first submission's completion holds the writer; the next four fill
  // the queue.
  auto first = completions.expect({"doc:hold"});
  batcher.submit({signature("doc:hold")}, [&, first](Result<std::vector<Record>> r) {
    std::lock_guard wait_for_release(gate);
    first(std::move(r));
  });
  while (batcher.stats().batches == 0) {
    std::this_thread::sleep_for(1ms);
  }
  std::vector<Record> four{signature("doc:1"), signature("doc:2"), signature("doc:3"),
                           signature("doc:4")};
  batcher.submit(std::move(four), completions.expect({"doc:1", "doc:2", "doc:3", "doc:4"}));

  std::optional<Error> refused;
  batcher.submit({signature("doc:5")}, [&](Result<std::vector<Record>> r) {
    ASSERT_FALSE(r);
    refused = r.error();
  });
  ASSERT_TRUE(refused.has_value()) << "a full queue must answer on the caller's thread";
  EXPECT_EQ(refused->code, "audit_unavailable");
  EXPECT_NE(refused->message.find("queue full"), std::string::npos) << refused->message;
  EXPECT_EQ(batcher.stats().rejected, 1u);

  held.unlock();
  ASSERT_TRUE(completions.wait_for(2));
  EXPECT_TRUE(completions.errors_.empty());
  EXPECT_EQ(server.cli({"XLEN", AuditLog::kStreamKey}), "5");
}

}  // namespace
}  // namespace seald::audit
