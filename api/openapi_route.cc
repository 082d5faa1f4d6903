// GET /api/v1/openapi.json: the OpenAPI 3 description of every /api/v1
// route. The document is api/openapi.json, compiled in so the binary serves
// the description of exactly the routes it was built with; a test checks
// that every route the router has is in it.

#include <string>

#include "api/routes.h"
#include "server/json_response.h"

namespace seald::api {

extern const char* const kOpenApiDocument;

void add_openapi_route(server::Router& router) {
  router.add(server::http::verb::get, "/api/v1/openapi.json", "openapi",
             [](const server::Request&, const server::RequestContext&) {
               return server::text_response(server::http::status::ok, kOpenApiDocument,
                                            "application/json");
             });
}

}  // namespace seald::api
