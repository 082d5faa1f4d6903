#include <gtest/gtest.h>

#include "api/error_status.h"
#include "api/json_body.h"
#include "api/request_parts.h"
#include "authz/decisions.h"
#include "tests/api/harness.h"

namespace seald::api {
namespace {

using server::http::status;

TEST(JsonBody, UnknownFieldIsNamed) {
  auto r = parse_object(R"({"name":"x","nmae":"y"})", {"name"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "unknown_field");
  EXPECT_NE(r.error().message.find("nmae"), std::string::npos);
}

TEST(JsonBody, MalformedAndNonObjectBodiesAreRefused) {
  EXPECT_EQ(parse_object("{\"a\":", {"a"}).error().code, "invalid_json");
  EXPECT_EQ(parse_object("[1,2]", {"a"}).error().code, "body_not_object");
  std::string deep(100, '[');
  EXPECT_EQ(parse_object(deep, {"a"}).error().code, "invalid_json");
}

TEST(JsonBody, GettersNameTheField) {
  auto body = parse_object(R"({"name":"","age":"x","n":12})", {"name", "age", "n"});
  ASSERT_TRUE(body);
  EXPECT_EQ(required_string(*body, "missing").error().code, "field_missing");
  auto empty = required_string(*body, "name");
  EXPECT_EQ(empty.error().code, "field_invalid");
  EXPECT_NE(empty.error().message.find("name"), std::string::npos);
  EXPECT_EQ(optional_int(*body, "age").error().code, "field_invalid");
  EXPECT_EQ(**optional_int(*body, "n"), 12);
  auto long_body = parse_object(R"({"s":"abcdef"})", {"s"});
  EXPECT_EQ(required_string(*long_body, "s", 3).error().code, "field_invalid");
}

TEST(Paging, DefaultsBoundsAndErrors) {
  auto p = parse_paging("/api/v1/x");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->offset, 0u);
  EXPECT_EQ(p->limit, 20u);
  auto q = parse_paging("/api/v1/x?offset=40&limit=100");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->offset, 40u);
  EXPECT_EQ(q->limit, 100u);
  EXPECT_EQ(parse_paging("/x?limit=101").error().code, "paging_invalid");
  EXPECT_EQ(parse_paging("/x?limit=0").error().code, "paging_invalid");
  EXPECT_EQ(parse_paging("/x?offset=-1").error().code, "paging_invalid");
  EXPECT_EQ(parse_paging("/x?offset=1e3").error().code, "paging_invalid");
}

TEST(RequestParts, BearerTokenAndQuery) {
  server::Request req;
  EXPECT_FALSE(bearer_token(req));
  req.set(server::http::field::authorization, "Basic abc");
  EXPECT_FALSE(bearer_token(req));
  req.set(server::http::field::authorization, "bearer tok123");
  EXPECT_EQ(bearer_token(req).value_or(""), "tok123");
  EXPECT_EQ(query_param("/x?name=a%20b", "name").value_or(""), "a b");
}

TEST(ErrorStatus, CodesMapOnceToStatuses) {
  EXPECT_EQ(status_for({"application_not_found", ""}), status::not_found);
  EXPECT_EQ(status_for({"seal_name_taken", ""}), status::conflict);
  EXPECT_EQ(status_for({"credit_code_invalid", ""}), status::unprocessable_entity);
  EXPECT_EQ(status_for({"invalid_transition", ""}), status::conflict);
  EXPECT_EQ(status_for({"forbidden", ""}), status::forbidden);
  EXPECT_EQ(status_for({"session_invalid", ""}), status::unauthorized);
  EXPECT_EQ(status_for({"redis_unavailable", ""}), status::service_unavailable);
  auto unknown = error_response({"something_new", "detail that must not leak"});
  EXPECT_EQ(unknown.result(), status::internal_server_error);
  EXPECT_EQ(unknown.body().find("detail that must not leak"), std::string::npos);
}

}  // namespace
}  // namespace seald::api

namespace seald::api::testing {
namespace {

TEST(ApiHarness, MakesLoggedInUsersAndServes) {
  ApiHarness harness({});
  Account alice = harness.make_user("Alice", {authz::Grant::auditor()});
  EXPECT_FALSE(alice.token.empty());
  auto principal = harness.services().authenticator.principal_for(alice.token);
  ASSERT_TRUE(principal) << principal.error().message;
  EXPECT_TRUE(authz::is(*principal, authz::Role::auditor));
  EXPECT_EQ(harness.call("GET", "/healthz").status, 200u);
  Reply missing = harness.call("GET", "/api/v1/nothing", alice.token);
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.error(), "not_found");
}

}  // namespace
}  // namespace seald::api::testing
