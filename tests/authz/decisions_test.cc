#include <gtest/gtest.h>

#include "authz/decisions.h"

namespace seald::authz {
namespace {

Principal with(std::vector<Grant> grants) {
  return Principal{"u1", "张三", std::move(grants)};
}

TEST(Decisions, ARoleIsHeldOnlyWhenGranted) {
  Principal nobody = with({});
  for (Role r :
       {Role::system_admin, Role::reviewer, Role::operator_, Role::org_seal_admin, Role::auditor}) {
    EXPECT_FALSE(is(nobody, r)) << to_string(r);
  }
  Principal op = with({Grant::operator_role()});
  EXPECT_TRUE(is(op, Role::operator_));
}

TEST(Decisions, NoRoleImpliesAnother) {
  const std::vector<Grant> singles{Grant::system_admin(), Grant::reviewer("org-a"),
                                   Grant::operator_role(), Grant::org_seal_admin("r1", "org-a"),
                                   Grant::auditor()};
  for (const Grant& g : singles) {
    Principal p = with({g});
    for (Role r : {Role::system_admin, Role::reviewer, Role::operator_, Role::org_seal_admin,
                   Role::auditor}) {
      EXPECT_EQ(is(p, r), r == g.role) << to_string(g.role) << " vs " << to_string(r);
    }
  }
  // A system admin neither reviews nor administers seals anywhere.
  Principal admin = with({Grant::system_admin()});
  EXPECT_FALSE(reviews_for(admin, "org-a"));
  const std::vector<std::string> ancestors{"org-root"};
  EXPECT_FALSE(admin_scope_covers(admin, "org-a", ancestors));
  // An org seal admin of org-a does not review org-a's applications.
  EXPECT_FALSE(reviews_for(with({Grant::org_seal_admin("r1", "org-a")}), "org-a"));
  // A reviewer of org-a does not administer org-a's seals.
  EXPECT_FALSE(admin_scope_covers(with({Grant::reviewer("org-a")}), "org-a", ancestors));
}

TEST(Decisions, ReviewersDecideOnlyForTheirOwnApprovingOrg) {
  Principal p = with({Grant::reviewer("org-a"), Grant::reviewer("org-c")});
  EXPECT_TRUE(reviews_for(p, "org-a"));
  EXPECT_TRUE(reviews_for(p, "org-c"));
  EXPECT_FALSE(reviews_for(p, "org-b"));
  EXPECT_FALSE(reviews_for(p, ""));
}

TEST(Decisions, AdminScopeCoversTheOrgAndItsSubtreeOnly) {
  // Tree: province > city > district > bureau; the admin's scope is "city".
  Principal p = with({Grant::org_seal_admin("330100", "city")});
  const std::vector<std::string> bureau_ancestors{"district", "city", "province"};
  const std::vector<std::string> city_ancestors{"province"};
  const std::vector<std::string> other_ancestors{"other-city", "province"};
  const std::vector<std::string> none;
  EXPECT_TRUE(admin_scope_covers(p, "city", city_ancestors));            // the scope's own org
  EXPECT_TRUE(admin_scope_covers(p, "bureau", bureau_ancestors));        // through ancestors
  EXPECT_FALSE(admin_scope_covers(p, "province", none));                 // above the scope
  EXPECT_FALSE(admin_scope_covers(p, "other-bureau", other_ancestors));  // a sibling subtree
  EXPECT_FALSE(admin_scope_covers(p, "", bureau_ancestors));
}

TEST(Decisions, SeveralScopesAreEachHonoured) {
  Principal p = with({Grant::org_seal_admin("r1", "a"), Grant::org_seal_admin("r2", "b")});
  const std::vector<std::string> under_a{"a"};
  const std::vector<std::string> under_b{"b", "root"};
  const std::vector<std::string> under_c{"c", "root"};
  EXPECT_TRUE(admin_scope_covers(p, "a1", under_a));
  EXPECT_TRUE(admin_scope_covers(p, "b1", under_b));
  EXPECT_FALSE(admin_scope_covers(p, "c1", under_c));
  EXPECT_EQ(admin_scopes(p).size(), 2u);
}

TEST(Grants, BindingsAreCheckedPerRole) {
  EXPECT_TRUE(validate(Grant::reviewer("org-a")));
  EXPECT_EQ(validate(Grant::reviewer("")).error().code, "grant_invalid");
  EXPECT_EQ(validate(Grant{Role::reviewer, "org-a", "r1"}).error().code, "grant_invalid");
  EXPECT_TRUE(validate(Grant::org_seal_admin("r1", "org-a")));
  EXPECT_EQ(validate(Grant::org_seal_admin("", "org-a")).error().code, "grant_invalid");
  EXPECT_EQ(validate(Grant::org_seal_admin("r1", "")).error().code, "grant_invalid");
  EXPECT_EQ(validate(Grant{Role::system_admin, "org-a", ""}).error().code, "grant_invalid");
  EXPECT_EQ(validate(Grant::reviewer("a|b")).error().code, "grant_invalid");
}

TEST(Grants, RoundTripThroughTheStoredForm) {
  for (const Grant& g : {Grant::system_admin(), Grant::reviewer("org-a"),
                         Grant::org_seal_admin("330100", "org-b"), Grant::auditor()}) {
    auto back = decode(encode(g));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, g);
  }
  EXPECT_FALSE(decode("root|x|y"));
  EXPECT_EQ(parse_role("operator").value(), Role::operator_);
  EXPECT_EQ(parse_role("superuser").error().code, "role_invalid");
}

}  // namespace
}  // namespace seald::authz
