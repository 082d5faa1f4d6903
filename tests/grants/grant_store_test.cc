#include "grants/grant_store.h"

#include <chrono>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "tests/grants/grant_store_fixture.h"

namespace seald::grants::testing {
namespace {

using Codes = std::vector<std::string>;

std::string code_of(int n) {
  std::string digits = std::to_string(n);
  return "4401002026" + std::string(6 - digits.size(), '0') + digits;
}

TEST_F(GrantStoreTest, GrantingOneSealShowsInBothDirections) {
  auto change = store_.grant(kAppA, {kActive1}, "admin-1");
  ASSERT_TRUE(change) << change.error().message;
  EXPECT_TRUE(std::regex_match(change->operation_id, std::regex("[0-9a-f]{32}")));
  EXPECT_EQ(change->app_id, kAppA);
  EXPECT_EQ(change->changed, Codes{kActive1});
  EXPECT_TRUE(change->unchanged.empty());
  EXPECT_EQ(store_.seals_of_app(kAppA).value(), Codes{kActive1});
  EXPECT_EQ(store_.apps_of_seal(kActive1).value(), Codes{kAppA});
  EXPECT_TRUE(store_.seals_of_app(kAppB).value().empty());
}

TEST_F(GrantStoreTest, BatchCountsDuplicatesOnceAndReportsWhatWasAlreadyGranted) {
  ASSERT_TRUE(store_.grant(kAppA, {kActive1}, "admin-1"));
  // A suspended seal may be granted: restoring it makes it usable again.
  auto change =
      store_.grant(kAppA, {kActive3, kActive1, kActive3, kSuspended, kActive2}, "admin-1").value();
  EXPECT_EQ(change.changed, (Codes{kActive2, kActive3, kSuspended}));
  EXPECT_EQ(change.unchanged, Codes{kActive1});
  EXPECT_EQ(store_.seals_of_app(kAppA).value(), (Codes{kActive1, kActive2, kActive3, kSuspended}));

  // Everything already granted: nothing written, no operation to sync from.
  std::string before = snapshot();
  auto again = store_.grant(kAppA, {kActive2, kActive1}, "admin-2").value();
  EXPECT_EQ(again.operation_id, "");
  EXPECT_TRUE(again.changed.empty());
  EXPECT_EQ(again.unchanged, (Codes{kActive1, kActive2}));
  EXPECT_EQ(snapshot(), before);
}

TEST_F(GrantStoreTest, EachRefusalNamesTheSealAndWritesNothing) {
  ASSERT_TRUE(store_.grant(kAppA, {kActive1}, "admin-1"));
  const std::string before = snapshot();
  struct Case {
    std::string seal;
    std::string code;
  };
  for (const auto& c :
       {Case{kMissing, "seal_not_found"}, Case{"33010020260000x1", "seal_not_found"},
        Case{kUkey, "seal_not_cloud"}, Case{kRevoked, "seal_not_grantable"},
        Case{kExpired, "seal_not_grantable"}, Case{kPastEnd, "seal_not_grantable"}}) {
    // Good seals on both sides of the bad one: none of them may land.
    auto refused = store_.grant(kAppB, {kActive2, c.seal, kActive3}, "admin-1");
    ASSERT_FALSE(refused) << c.seal;
    EXPECT_EQ(refused.error().code, c.code) << c.seal;
    EXPECT_NE(refused.error().message.find(c.seal), std::string::npos) << refused.error().message;
    EXPECT_EQ(snapshot(), before) << c.seal;
  }
  EXPECT_TRUE(store_.seals_of_app(kAppB).value().empty());
  EXPECT_EQ(store_.apps_of_seal(kActive2).value(), Codes{});

  // The first offender in the caller's order is the one named.
  auto first = store_.grant(kAppB, {kActive2, kRevoked, kUkey}, "admin-1");
  EXPECT_EQ(first.error().code, "seal_not_grantable");
  EXPECT_NE(first.error().message.find(kRevoked), std::string::npos);
  EXPECT_EQ(snapshot(), before);
}

TEST_F(GrantStoreTest, BadListsAndAppIdsAreRefusedBeforeRedis) {
  const std::string before = snapshot();
  EXPECT_EQ(store_.grant(kAppA, {}, "a").error().code, "seal_codes_empty");
  EXPECT_EQ(store_.ungrant(kAppA, {}, "a").error().code, "seal_codes_empty");
  EXPECT_EQ(store_.grant_to_apps({kAppA}, {}, "a").error().code, "seal_codes_empty");
  Codes many;
  for (int i = 1; i <= static_cast<int>(kMaxSealsPerChange) + 1; ++i) {
    many.push_back(code_of(i));
  }
  EXPECT_EQ(store_.grant(kAppA, many, "a").error().code, "too_many_seals");
  EXPECT_EQ(store_.ungrant(kAppA, many, "a").error().code, "too_many_seals");
  for (const std::string& bad : {std::string(), std::string(65, 'a'), std::string("ab\ncd")}) {
    EXPECT_EQ(store_.grant(bad, {kActive1}, "a").error().code, "app_id_invalid");
    EXPECT_EQ(store_.ungrant(bad, {kActive1}, "a").error().code, "app_id_invalid");
    EXPECT_EQ(store_.grant_to_apps({kAppA, bad}, {kActive1}, "a").error().code, "app_id_invalid");
    EXPECT_EQ(store_.seals_of_app(bad).error().code, "app_id_invalid");
  }
  EXPECT_EQ(snapshot(), before);
  // Many copies of one code are one seal, well under the limit.
  Codes copies(kMaxSealsPerChange + 10, kActive1);
  EXPECT_EQ(store_.grant(kAppA, copies, "a").value().changed, Codes{kActive1});
}

TEST_F(GrantStoreTest, AFullBatchOfSealsIsGrantedInOneCall) {
  Codes all;
  {
    auto lease = pool_.acquire().value();
    std::vector<std::vector<std::string>> owned;
    std::vector<std::vector<std::string_view>> cmds;
    const std::string until = std::to_string(now_ms() + 3600 * 1000);
    for (int i = 1; i <= static_cast<int>(kMaxSealsPerChange); ++i) {
      all.push_back(code_of(i));
      owned.push_back({"HSET", "seald:seals:seal:" + all.back(), "code", all.back(), "usage",
                       "cloud", "status", "active", "not_after_ms", until});
    }
    for (const auto& c : owned) {
      cmds.emplace_back(c.begin(), c.end());
    }
    ASSERT_TRUE(lease->pipeline(cmds));
  }
  auto change = store_.grant(kAppA, all, "admin-1");
  ASSERT_TRUE(change) << change.error().message;
  EXPECT_EQ(change->changed, all);
  EXPECT_EQ(store_.seals_of_app(kAppA).value().size(), kMaxSealsPerChange);
  EXPECT_EQ(store_.operation(change->operation_id).value().seal_codes, all);
  auto removed = store_.ungrant(kAppA, all, "admin-1");
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(removed->changed, all);
  EXPECT_TRUE(store_.seals_of_app(kAppA).value().empty());
}

TEST_F(GrantStoreTest, UngrantClearsBothDirectionsEvenForARevokedSeal) {
  ASSERT_TRUE(store_.grant(kAppA, {kActive1, kActive2}, "admin-1"));
  ASSERT_TRUE(store_.grant(kAppB, {kActive1, kActive2}, "admin-1"));
  // Revoked after it was granted: its grants must still be removable.
  redis({"HSET", "seald:seals:seal:" + kActive2, "status", "revoked"});

  auto change =
      store_.ungrant(kAppA, {kActive2, kActive3, kMissing, "not-a-code", kActive2}, "admin-2");
  ASSERT_TRUE(change) << change.error().message;
  EXPECT_EQ(change->operation_id, "");
  EXPECT_EQ(change->app_id, kAppA);
  EXPECT_EQ(change->changed, Codes{kActive2});
  EXPECT_EQ(change->unchanged, (Codes{kActive3, kMissing, "not-a-code"}));
  EXPECT_EQ(store_.seals_of_app(kAppA).value(), Codes{kActive1});
  EXPECT_EQ(store_.apps_of_seal(kActive2).value(), Codes{kAppB});
  EXPECT_EQ(store_.apps_of_seal(kActive1).value(), (Codes{kAppA, kAppB}));

  const std::string before = snapshot();
  auto nothing = store_.ungrant(kAppC, {kActive1}, "admin-2").value();
  EXPECT_TRUE(nothing.changed.empty());
  EXPECT_EQ(nothing.unchanged, Codes{kActive1});
  EXPECT_EQ(snapshot(), before);
}

TEST_F(GrantStoreTest, SyncGrantsToEveryAppOrToNone) {
  ASSERT_TRUE(store_.grant(kAppA, {kActive1}, "admin-1"));
  auto changes = store_.grant_to_apps({kAppA, kAppB}, {kActive1, kActive2}, "admin-2");
  ASSERT_TRUE(changes) << changes.error().message;
  ASSERT_EQ(changes->size(), 2u);
  const GrantChange& a = (*changes)[0];
  const GrantChange& b = (*changes)[1];
  EXPECT_EQ(a.app_id, kAppA);
  EXPECT_EQ(a.changed, Codes{kActive2});
  EXPECT_EQ(a.unchanged, Codes{kActive1});
  EXPECT_EQ(b.app_id, kAppB);
  EXPECT_EQ(b.changed, (Codes{kActive1, kActive2}));
  EXPECT_TRUE(b.unchanged.empty());
  EXPECT_NE(a.operation_id, b.operation_id);
  EXPECT_EQ(store_.operation(a.operation_id).value().seal_codes, Codes{kActive2});
  EXPECT_EQ(store_.operation(b.operation_id).value().app_id, kAppB);
  EXPECT_EQ(store_.apps_of_seal(kActive2).value(), (Codes{kAppA, kAppB}));

  // One bad seal: neither C nor the app listed before it gets anything.
  const std::string before = snapshot();
  auto refused = store_.grant_to_apps({kAppC, kAppB}, {kActive3, kPastEnd}, "admin-2");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "seal_not_grantable");
  EXPECT_EQ(snapshot(), before);
  EXPECT_TRUE(store_.seals_of_app(kAppC).value().empty());

  // No target apps: the seals are still checked, nothing is written.
  EXPECT_EQ(store_.grant_to_apps({}, {kUkey}, "admin-2").error().code, "seal_not_cloud");
  EXPECT_TRUE(store_.grant_to_apps({}, {kActive3}, "admin-2").value().empty());
  EXPECT_EQ(snapshot(), before);
}

TEST_F(GrantStoreTest, OperationRemembersWhatAGrantAddedForAWeek) {
  ASSERT_TRUE(store_.grant(kAppA, {kActive1}, "admin-1"));
  const std::int64_t t0 = now_ms();
  auto change = store_.grant(kAppA, {kActive3, kActive1, kActive2}, "admin-7").value();
  auto op = store_.operation(change.operation_id);
  ASSERT_TRUE(op) << op.error().message;
  EXPECT_EQ(op->id, change.operation_id);
  EXPECT_EQ(op->app_id, kAppA);
  EXPECT_EQ(op->actor_id, "admin-7");
  EXPECT_GE(op->at_ms, t0);
  EXPECT_LE(op->at_ms, now_ms());
  // Only what this grant added: kActive1 was there before.
  EXPECT_EQ(op->seal_codes, (Codes{kActive2, kActive3}));

  const std::string key = "seald:grants:operation:" + change.operation_id;
  auto ttl = redis({"TTL", key}).integer();
  EXPECT_GT(ttl, kOperationTtlSeconds - 60);
  EXPECT_LE(ttl, kOperationTtlSeconds);

  EXPECT_EQ(store_.operation("0123456789abcdef0123456789abcdef").error().code,
            "grant_operation_not_found");
  EXPECT_EQ(store_.operation("../../etc").error().code, "grant_operation_not_found");
  // Bring the week to its end rather than wait for it.
  redis({"PEXPIRE", key, "1"});
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(store_.operation(change.operation_id).error().code, "grant_operation_not_found");
}

TEST_F(GrantStoreTest, ListsAreSortedAndUnknownsAreEmpty) {
  ASSERT_TRUE(store_.grant(kAppC, {kActive2, kActive1}, "a"));
  ASSERT_TRUE(store_.grant(kAppA, {kActive2}, "a"));
  ASSERT_TRUE(store_.grant(kAppB, {kActive2}, "a"));
  EXPECT_EQ(store_.seals_of_app(kAppC).value(), (Codes{kActive1, kActive2}));
  EXPECT_EQ(store_.apps_of_seal(kActive2).value(), (Codes{kAppA, kAppB, kAppC}));
  EXPECT_TRUE(store_.apps_of_seal(kMissing).value().empty());
  EXPECT_TRUE(store_.apps_of_seal("junk").value().empty());
  EXPECT_TRUE(store_.seals_of_app("ffffffffffffffffffffffffffffffff").value().empty());

  auto many = store_.apps_of_seals({kActive2, "junk", kActive3, kActive1});
  ASSERT_TRUE(many) << many.error().message;
  ASSERT_EQ(many->size(), 4u);
  EXPECT_EQ((*many)[0], (Codes{kAppA, kAppB, kAppC}));
  EXPECT_TRUE((*many)[1].empty());
  EXPECT_TRUE((*many)[2].empty());
  EXPECT_EQ((*many)[3], Codes{kAppC});
  EXPECT_TRUE(store_.apps_of_seals({}).value().empty());
}

TEST_F(GrantStoreTest, RemoveSealDropsEveryGrantAndIsIdempotent) {
  ASSERT_TRUE(store_.grant(kAppA, {kActive1, kActive2}, "a"));
  ASSERT_TRUE(store_.grant(kAppB, {kActive1}, "a"));
  ASSERT_TRUE(store_.remove_seal(kActive1));
  EXPECT_TRUE(store_.apps_of_seal(kActive1).value().empty());
  EXPECT_EQ(store_.seals_of_app(kAppA).value(), Codes{kActive2});
  EXPECT_TRUE(store_.seals_of_app(kAppB).value().empty());

  const std::string before = snapshot();
  EXPECT_TRUE(store_.remove_seal(kActive1));
  EXPECT_TRUE(store_.remove_seal(kMissing));
  EXPECT_TRUE(store_.remove_seal("junk"));
  EXPECT_EQ(snapshot(), before);
}

TEST_F(GrantStoreTest, RedisDownIsReportedAsUnavailable) {
  auto change = store_.grant(kAppA, {kActive1}, "a").value();
  server_.stop();
  auto code = [](const auto& r) { return r ? std::string("ok") : r.error().code; };
  EXPECT_EQ(code(store_.grant(kAppA, {kActive2}, "a")), "redis_unavailable");
  EXPECT_EQ(code(store_.ungrant(kAppA, {kActive1}, "a")), "redis_unavailable");
  EXPECT_EQ(code(store_.grant_to_apps({kAppB}, {kActive1}, "a")), "redis_unavailable");
  EXPECT_EQ(code(store_.operation(change.operation_id)), "redis_unavailable");
  EXPECT_EQ(code(store_.seals_of_app(kAppA)), "redis_unavailable");
  EXPECT_EQ(code(store_.apps_of_seal(kActive1)), "redis_unavailable");
  EXPECT_EQ(code(store_.apps_of_seals({kActive1})), "redis_unavailable");
  EXPECT_EQ(code(store_.remove_seal(kActive1)), "redis_unavailable");
  // And it heals once Redis is back (AOF kept the grant).
  server_.start();
  EXPECT_EQ(store_.seals_of_app(kAppA).value(), Codes{kActive1});
}

}  // namespace
}  // namespace seald::grants::testing
