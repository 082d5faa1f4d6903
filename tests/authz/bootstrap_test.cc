#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "authz/authenticator.h"
#include "authz/bootstrap.h"
#include "authz/decisions.h"
#include "identity/validation.h"
#include "tests/identity/identity_fixture.h"

namespace seald::authz {
namespace {

class BootstrapTest : public identity::testing::IdentityTest {
 protected:
  RoleStore roles{pool};
};

TEST_F(BootstrapTest, CreatesAnAdminWhoCanLogIn) {
  auto creds = ensure_bootstrap_admin(pool, id->users(), roles);
  ASSERT_TRUE(creds) << creds.error().message;
  ASSERT_TRUE(creds->has_value());
  const auto& c = **creds;
  EXPECT_EQ(c.login_name, "bootstrap-admin");
  EXPECT_GE(c.password.size(), 20u);
  EXPECT_TRUE(identity::validate_password(c.password.reveal()));

  auto session = id->sessions().login(c.login_name, c.password);
  ASSERT_TRUE(session) << session.error().message;
  Authenticator auth(id->sessions(), roles);
  auto p = auth.principal_for(session->token.reveal());
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user_id, c.user_id);
  EXPECT_TRUE(is(*p, Role::system_admin));
  EXPECT_FALSE(is(*p, Role::reviewer));  // bootstrap makes a system admin and nothing more
  // The generated password is not in Redis.
  std::string values = identity::testing::dump_all_values(server);
  ASSERT_NE(values.find("bootstrap-admin"), std::string::npos);
  EXPECT_EQ(values.find(c.password.reveal()), std::string::npos);
}

TEST_F(BootstrapTest, IsIdempotent) {
  auto first = ensure_bootstrap_admin(pool, id->users(), roles);
  ASSERT_TRUE(first && first->has_value());
  auto second = ensure_bootstrap_admin(pool, id->users(), roles);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->has_value());
  EXPECT_EQ(roles.count_holders(Role::system_admin).value(), 1u);
  // The first password still works: the second call changed nothing.
  EXPECT_TRUE(id->sessions().login("bootstrap-admin", (*first)->password));
}

TEST_F(BootstrapTest, DoesNothingWhenAnAdminExists) {
  auto u = register_person("张三", identity::testing::make_id_number("110101", "19900307", "123"),
                           "13812345678", "s3cret-Passw0rd");
  ASSERT_TRUE(u);
  ASSERT_TRUE(roles.grant(u->id, Grant::system_admin()));
  auto r = ensure_bootstrap_admin(pool, id->users(), roles);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_value());
  EXPECT_EQ(server.cli({"HLEN", "seald:identity:login_name_index"}), "0");
}

TEST_F(BootstrapTest, ReArmsTheAccountWhenNoAdminIsLeft) {
  auto first = ensure_bootstrap_admin(pool, id->users(), roles);
  ASSERT_TRUE(first && first->has_value());
  ASSERT_TRUE(roles.revoke((*first)->user_id, Grant::system_admin()));
  auto second = ensure_bootstrap_admin(pool, id->users(), roles);
  ASSERT_TRUE(second && second->has_value());
  EXPECT_EQ((*second)->user_id, (*first)->user_id);
  EXPECT_EQ(id->sessions().login("bootstrap-admin", (*first)->password).error().code,
            "invalid_credentials");
  EXPECT_TRUE(id->sessions().login("bootstrap-admin", (*second)->password));
}

TEST_F(BootstrapTest, TwoNodesStartingAtOnceMakeOneAdmin) {
  // Separate pools and stores, as two processes would have.
  redis::Pool other_pool{identity::testing::endpoint_for(server), 4};
  auto other_identity =
      identity::Identity::create(other_pool, sender, identity::testing::fast_options());
  ASSERT_TRUE(other_identity);
  RoleStore other_roles{other_pool};

  for (int round = 0; round < 3; ++round) {
    server.cli({"FLUSHALL"});
    std::latch start(2);
    Result<std::optional<BootstrapCredentials>> a = std::optional<BootstrapCredentials>{};
    Result<std::optional<BootstrapCredentials>> b = std::optional<BootstrapCredentials>{};
    std::thread ta([&] {
      start.arrive_and_wait();
      a = ensure_bootstrap_admin(pool, id->users(), roles);
    });
    std::thread tb([&] {
      start.arrive_and_wait();
      b = ensure_bootstrap_admin(other_pool, (*other_identity)->users(), other_roles);
    });
    ta.join();
    tb.join();
    ASSERT_TRUE(a) << a.error().message;
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(int{a->has_value()} + int{b->has_value()}, 1) << "round " << round;
    EXPECT_EQ(roles.count_holders(Role::system_admin).value(), 1u);
    EXPECT_EQ(server.cli({"ZCARD", "seald:identity:users"}), "1");
    const auto& winner = a->has_value() ? **a : **b;
    EXPECT_TRUE(id->sessions().login(winner.login_name, winner.password));
  }
}

TEST_F(BootstrapTest, ALoserWaitsForTheClaimHolderAndGivesUpInTime) {
  server.cli({"SET", "seald:authz:bootstrap_claim", "someone-else", "PX", "60000"});
  BootstrapOptions options;
  options.wait = std::chrono::milliseconds(200);
  auto r = ensure_bootstrap_admin(pool, id->users(), roles, options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "bootstrap_in_progress");
  EXPECT_EQ(roles.count_holders(Role::system_admin).value(), 0u);
}

}  // namespace
}  // namespace seald::authz
