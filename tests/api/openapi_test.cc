// Every route the /api/v1 router has is described in the OpenAPI document,
// and the document describes no route the router lacks.

#include <gtest/gtest.h>

#include <set>

#include "api/routes.h"
#include "tests/api/harness.h"

namespace seald::api::testing {
namespace {

std::set<std::string> router_operations(Services& services) {
  server::Router router;
  add_account_routes(router, services);
  add_org_routes(router, services);
  add_application_routes(router, services);
  add_audit_routes(router, services);
  add_app_routes(router, services);
  add_seal_routes(router, services);
  add_seal_lifecycle_routes(router, services);
  add_grant_routes(router, services);
  add_grant_list_routes(router, services);
  add_ca_routes(router, services.ca);
  add_openapi_route(router);
  std::set<std::string> ops;
  for (std::size_t i = 0; i < router.size(); ++i) {
    const auto& route = router.route(i);
    std::string method(server::http::to_string(route.method));
    for (char& c : method) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    ops.insert(method + " " + route.pattern);
  }
  return ops;
}

TEST(OpenApi, DocumentDescribesExactlyTheRoutes) {
  ApiHarness harness({[](server::Router& router, Services&) { add_openapi_route(router); }});
  Reply reply = harness.call("GET", "/api/v1/openapi.json");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_NE(reply.headers["content-type"].find("application/json"), std::string::npos);
  auto doc = reply.json();
  ASSERT_TRUE(doc.is_object()) << "the document is JSON";
  EXPECT_EQ(std::string(doc.at("openapi").as_string()).substr(0, 2), "3.");

  std::set<std::string> documented;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      documented.insert(std::string(method) + " " + std::string(path));
      EXPECT_TRUE(operation.as_object().contains("responses")) << method << " " << path;
    }
  }
  std::set<std::string> routed = router_operations(harness.services());
  for (const auto& op : routed) {
    EXPECT_TRUE(documented.count(op)) << "route missing from openapi.json: " << op;
  }
  for (const auto& op : documented) {
    EXPECT_TRUE(routed.count(op)) << "openapi.json describes a route that does not exist: " << op;
  }
  EXPECT_GE(routed.size(), 30u);
}

}  // namespace
}  // namespace seald::api::testing
