#include "server/router.h"

#include <gtest/gtest.h>

namespace seald::server {
namespace {

Response ok(const Request&, const RequestContext&) {
  return Response{http::status::ok, 11};
}

using Outcome = RouteMatch::Outcome;

TEST(Router, MatchesExactPathsAndIgnoresTheQuery) {
  Router router;
  router.add(http::verb::get, "/healthz", "healthz", ok);
  ASSERT_TRUE(router.status());
  auto match = router.match(http::verb::get, "/healthz?verbose=1");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(match.route->name, "healthz");
  EXPECT_EQ(router.match(http::verb::get, "/healthz/").outcome, Outcome::kNotFound);
  EXPECT_EQ(router.match(http::verb::get, "/health").outcome, Outcome::kNotFound);
}

TEST(Router, WrongMethodListsTheAllowedOnes) {
  Router router;
  router.add(http::verb::get, "/api/v1/seals", "seal_list", ok);
  router.add(http::verb::post, "/api/v1/seals", "seal_create", ok);
  auto match = router.match(http::verb::delete_, "/api/v1/seals");
  EXPECT_EQ(match.outcome, Outcome::kMethodNotAllowed);
  EXPECT_EQ(match.allow, "GET, POST");
}

TEST(Router, PathParametersAreCapturedAndDecoded) {
  Router router;
  router.add(http::verb::get, "/api/v1/seals/{code}/certificate", "seal_cert", ok);
  auto match = router.match(http::verb::get, "/api/v1/seals/AB%2012/certificate");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0].name, "code");
  EXPECT_EQ(match.params[0].value, "AB 12");
  EXPECT_EQ(router.match(http::verb::get, "/api/v1/seals//certificate").outcome,
            Outcome::kNotFound);
  EXPECT_EQ(router.match(http::verb::get, "/api/v1/seals/%zz/certificate").outcome,
            Outcome::kBadTarget);
}

TEST(Router, LiteralSegmentsWinOverParameters) {
  Router router;
  router.add(http::verb::get, "/seals/{code}", "seal_get", ok);
  router.add(http::verb::get, "/seals/search", "seal_search", ok);
  router.add(http::verb::get, "/{kind}/x", "kind_x", ok);
  router.add(http::verb::get, "/seals/{code}/x", "seal_x", ok);
  EXPECT_EQ(router.match(http::verb::get, "/seals/search").route->name, "seal_search");
  EXPECT_EQ(router.match(http::verb::get, "/seals/S1").route->name, "seal_get");
  EXPECT_EQ(router.match(http::verb::get, "/seals/x").route->name, "seal_get");
  EXPECT_EQ(router.match(http::verb::get, "/orgs/x").route->name, "kind_x");
  EXPECT_EQ(router.match(http::verb::get, "/seals/S1/x").route->name, "seal_x");
}

TEST(Router, RejectsTargetsThatAreNotPaths) {
  Router router;
  router.add(http::verb::get, "/", "root", ok);
  EXPECT_EQ(router.match(http::verb::get, "/").outcome, Outcome::kFound);
  EXPECT_EQ(router.match(http::verb::get, "*").outcome, Outcome::kBadTarget);
  EXPECT_EQ(router.match(http::verb::get, "http://example.com/").outcome, Outcome::kBadTarget);
  EXPECT_EQ(router.match(http::verb::get, "").outcome, Outcome::kBadTarget);
}

TEST(Router, RecordsTheFirstProblem) {
  EXPECT_FALSE(Router().add(http::verb::get, "healthz", "h", ok).status());
  EXPECT_FALSE(Router().add(http::verb::get, "/a/{b", "h", ok).status());
  EXPECT_FALSE(Router().add(http::verb::get, "/a/{1b}", "h", ok).status());
  EXPECT_FALSE(Router().add(http::verb::get, "/a/{b}/{b}", "h", ok).status());
  EXPECT_FALSE(Router().add(http::verb::get, "/a", "", ok).status());
  EXPECT_FALSE(Router().add(http::verb::get, "/a", "a", SyncHandler{}).status());

  Router duplicate;
  duplicate.add(http::verb::get, "/a", "a", ok).add(http::verb::get, "/a", "a2", ok);
  ASSERT_FALSE(duplicate.status());
  EXPECT_EQ(duplicate.status().error().code, "route_invalid");
  EXPECT_NE(duplicate.status().error().message.find("already routed"), std::string::npos);

  Router renamed;
  renamed.add(http::verb::get, "/s/{code}", "a", ok).add(http::verb::post, "/s/{id}", "b", ok);
  EXPECT_FALSE(renamed.status());
}

TEST(Router, RouteIdsAreDense) {
  Router router;
  router.add(http::verb::get, "/a", "a", ok).add(http::verb::get, "/b/{x}", "b", ok);
  ASSERT_EQ(router.size(), 2u);
  EXPECT_EQ(router.route(0).id, 0u);
  EXPECT_EQ(router.route(1).name, "b");
  EXPECT_EQ(router.match(http::verb::get, "/b/1").route->id, 1u);
}

}  // namespace
}  // namespace seald::server
