#include "server/json_response.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace seald::server {
namespace {

TEST(JsonResponse, ErrorHasCodeMessageAndJsonContentType) {
  Response response = json_error(http::status::bad_request, "bad_input", "the \"seal\" is odd");
  EXPECT_EQ(response.result(), http::status::bad_request);
  EXPECT_EQ(response[http::field::content_type], "application/json");
  auto body = boost::json::parse(response.body()).as_object();
  EXPECT_EQ(body.at("error").as_string(), "bad_input");
  EXPECT_EQ(body.at("message").as_string(), "the \"seal\" is odd");
  EXPECT_EQ(body.size(), 2u);
}

TEST(JsonResponse, ErrorFromAnErrorValueAndExtraMembers) {
  Response from_error =
      json_error(http::status::service_unavailable, make_error("hsm_unavailable", "no token"));
  auto body = boost::json::parse(from_error.body()).as_object();
  EXPECT_EQ(body.at("error").as_string(), "hsm_unavailable");

  boost::json::object extra;
  extra["checks"] = boost::json::object{{"hsm", "ok"}};
  Response with_extra = json_error(http::status::service_unavailable, "not_ready", "x", extra);
  auto body2 = boost::json::parse(with_extra.body()).as_object();
  EXPECT_EQ(body2.at("checks").at("hsm").as_string(), "ok");
}

}  // namespace
}  // namespace seald::server
