#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "authz/authenticator.h"
#include "authz/decisions.h"
#include "authz/role_store.h"
#include "tests/identity/identity_fixture.h"

namespace seald::authz {
namespace {

using identity::testing::make_id_number;

class RoleStoreTest : public identity::testing::IdentityTest {
 protected:
  std::string new_user(const std::string& mobile, const char* seq) {
    auto u = register_person("用户" + std::string(seq), make_id_number("110101", "19900307", seq),
                             mobile, "s3cret-Passw0rd");
    EXPECT_TRUE(u) << u.error().message;
    return u ? u->id : "";
  }
  RoleStore roles{pool};
};

TEST_F(RoleStoreTest, GrantAndRevokeAreIdempotent) {
  std::string u = new_user("13800000001", "101");
  EXPECT_EQ(roles.grant(u, Grant::auditor()).value(), true);
  EXPECT_EQ(roles.grant(u, Grant::auditor()).value(), false);
  EXPECT_EQ(roles.grants_of(u)->size(), 1u);
  EXPECT_EQ(roles.revoke(u, Grant::auditor()).value(), true);
  EXPECT_EQ(roles.revoke(u, Grant::auditor()).value(), false);
  EXPECT_TRUE(roles.grants_of(u)->empty());
  EXPECT_EQ(roles.count_holders(Role::auditor).value(), 0u);
}

TEST_F(RoleStoreTest, AUserMayHoldSeveralGrants) {
  std::string u = new_user("13800000001", "101");
  ASSERT_TRUE(roles.grant(u, Grant::reviewer("org-a")));
  ASSERT_TRUE(roles.grant(u, Grant::reviewer("org-b")));
  ASSERT_TRUE(roles.grant(u, Grant::org_seal_admin("330100", "org-c")));
  auto grants = roles.grants_of(u);
  ASSERT_TRUE(grants);
  ASSERT_EQ(grants->size(), 3u);
  EXPECT_EQ((*grants)[0], Grant::reviewer("org-a"));
  EXPECT_EQ((*grants)[1], Grant::reviewer("org-b"));
  EXPECT_EQ((*grants)[2], Grant::org_seal_admin("330100", "org-c"));
  // Losing one reviewer grant keeps the user among the reviewers.
  ASSERT_TRUE(roles.revoke(u, Grant::reviewer("org-a")));
  EXPECT_EQ(roles.count_holders(Role::reviewer).value(), 1u);
  ASSERT_TRUE(roles.revoke(u, Grant::reviewer("org-b")));
  EXPECT_EQ(roles.count_holders(Role::reviewer).value(), 0u);
  EXPECT_EQ(roles.count_holders(Role::org_seal_admin).value(), 1u);
}

TEST_F(RoleStoreTest, GrantsToUnknownUsersOrWithBadBindingsAreRefused) {
  EXPECT_EQ(roles.grant("u404", Grant::auditor()).error().code, "user_not_found");
  std::string u = new_user("13800000001", "101");
  EXPECT_EQ(roles.grant(u, Grant::reviewer("")).error().code, "grant_invalid");
  EXPECT_TRUE(roles.grants_of(u)->empty());
  EXPECT_EQ(roles.count_holders(Role::reviewer).value(), 0u);
}

TEST_F(RoleStoreTest, HoldersArePagedWithTheirGrantsOfThatRole) {
  std::vector<std::string> users;
  for (int i = 0; i < 5; ++i) {
    users.push_back(new_user("1380000000" + std::to_string(i), ("20" + std::to_string(i)).c_str()));
    ASSERT_TRUE(roles.grant(users.back(), Grant::reviewer("org-" + std::to_string(i))));
  }
  ASSERT_TRUE(roles.grant(users[0], Grant::auditor()));
  auto first = roles.holders(Role::reviewer, 0, 2);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->total, 5u);
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].user_id, users[0]);
  ASSERT_EQ(first->items[0].grants.size(), 1u);  // the auditor grant is not listed here
  EXPECT_EQ(first->items[0].grants[0], Grant::reviewer("org-0"));
  auto last = roles.holders(Role::reviewer, 4, 2);
  ASSERT_EQ(last->items.size(), 1u);
  EXPECT_EQ(last->items[0].user_id, users[4]);
  EXPECT_TRUE(roles.holders(Role::reviewer, 10, 2)->items.empty());
  EXPECT_EQ(roles.holders(Role::reviewer, 0, 1000)->items.size(), 5u);  // capped, not refused
}

TEST_F(RoleStoreTest, ConcurrentGrantsAndRevokesLeaveConsistentIndexes) {
  std::string u = new_user("13800000001", "101");
  constexpr int kThreads = 6;
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  std::atomic<int> added{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      if (roles.grant(u, Grant::operator_role()).value()) {
        ++added;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(added.load(), 1);  // exactly one call made the change
  EXPECT_EQ(roles.count_holders(Role::operator_).value(), 1u);
}

TEST_F(RoleStoreTest, APrincipalComesFromASessionToken) {
  std::string u = new_user("13800000001", "101");
  ASSERT_TRUE(roles.grant(u, Grant::reviewer("org-a")));
  auto session = id->sessions().login("13800000001", Secret("s3cret-Passw0rd"));
  ASSERT_TRUE(session);
  Authenticator auth(id->sessions(), roles);
  auto p = auth.principal_for(session->token.reveal());
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->user_id, u);
  EXPECT_EQ(p->name, "用户101");
  EXPECT_TRUE(reviews_for(*p, "org-a"));
  EXPECT_FALSE(is(*p, Role::system_admin));
  // A revoke shows in the next principal built.
  ASSERT_TRUE(roles.revoke(u, Grant::reviewer("org-a")));
  EXPECT_FALSE(reviews_for(*auth.principal_for(session->token.reveal()), "org-a"));
  ASSERT_TRUE(id->sessions().logout(session->token.reveal()));
  EXPECT_EQ(auth.principal_for(session->token.reveal()).error().code, "session_invalid");
}

}  // namespace
}  // namespace seald::authz
