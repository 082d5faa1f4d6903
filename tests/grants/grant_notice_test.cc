// The notices on seald:changes that the signing caches will live by: one per
// app that changed, naming exactly the seals that changed, and none at all
// for a refused or empty change.

#include <gtest/gtest.h>

#include "tests/grants/grant_store_fixture.h"

namespace seald::grants::testing {
namespace {

boost::json::value grants_notice(const char* op, const std::string& app,
                                 std::initializer_list<std::string> seals) {
  boost::json::array list;
  for (const auto& s : seals) {
    list.emplace_back(s);
  }
  return boost::json::object{{"type", "grants"}, {"op", op}, {"app_id", app}, {"seals", list}};
}

TEST_F(GrantStoreTest, GrantAndUngrantPublishTheSealsThatChanged) {
  ASSERT_TRUE(store_.grant(kAppA, {kActive1}, "a"));
  Subscriber subscriber(server_.port());
  ASSERT_TRUE(store_.grant(kAppA, {kActive3, kActive1, kActive2}, "a"));
  EXPECT_EQ(subscriber.next(), grants_notice("grant", kAppA, {kActive2, kActive3}));
  ASSERT_TRUE(store_.ungrant(kAppA, {kActive2, kMissing, kActive1}, "a"));
  EXPECT_EQ(subscriber.next(), grants_notice("ungrant", kAppA, {kActive1, kActive2}));
  EXPECT_TRUE(subscriber.quiet());
}

TEST_F(GrantStoreTest, SyncPublishesOneNoticePerAppThatChanged) {
  ASSERT_TRUE(store_.grant(kAppC, {kActive1, kActive2}, "a"));
  ASSERT_TRUE(store_.grant(kAppB, {kActive1}, "a"));
  Subscriber subscriber(server_.port());
  ASSERT_TRUE(store_.grant_to_apps({kAppA, kAppB, kAppC}, {kActive2, kActive1}, "a"));
  EXPECT_EQ(subscriber.next(), grants_notice("grant", kAppA, {kActive1, kActive2}));
  EXPECT_EQ(subscriber.next(), grants_notice("grant", kAppB, {kActive2}));
  // C already had both seals.
  EXPECT_TRUE(subscriber.quiet());
}

TEST_F(GrantStoreTest, RemoveSealPublishesTheAppsItHad) {
  ASSERT_TRUE(store_.grant(kAppB, {kActive1}, "a"));
  ASSERT_TRUE(store_.grant(kAppA, {kActive1, kActive2}, "a"));
  Subscriber subscriber(server_.port());
  ASSERT_TRUE(store_.remove_seal(kActive1));
  boost::json::value expected = boost::json::object{{"type", "grants"},
                                                    {"op", "remove_seal"},
                                                    {"seal", kActive1},
                                                    {"apps", boost::json::array{kAppA, kAppB}}};
  EXPECT_EQ(subscriber.next(), expected);
  EXPECT_TRUE(subscriber.quiet());
}

TEST_F(GrantStoreTest, RefusedOrEmptyChangesPublishNothing) {
  ASSERT_TRUE(store_.grant(kAppA, {kActive1}, "a"));
  Subscriber subscriber(server_.port());
  EXPECT_FALSE(store_.grant(kAppB, {kActive2, kRevoked}, "a"));
  EXPECT_FALSE(store_.grant_to_apps({kAppB, kAppC}, {kActive2, kUkey}, "a"));
  EXPECT_FALSE(store_.grant(kAppB, {}, "a"));
  EXPECT_TRUE(store_.grant(kAppA, {kActive1}, "a"));    // already granted
  EXPECT_TRUE(store_.ungrant(kAppB, {kActive1}, "a"));  // never granted
  EXPECT_TRUE(store_.remove_seal(kActive2));            // had no grants
  EXPECT_TRUE(subscriber.quiet());
}

}  // namespace
}  // namespace seald::grants::testing
