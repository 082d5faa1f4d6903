// Mounts the CSC operations under /csc/v2 and /csc/v1 (docs/csc.md). Both
// dialects share the handlers; each route runs on a signing worker because
// the handlers may wait on Redis or the HSM.

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "api/csc_handlers.h"
#include "api/routes.h"
#include "api/sign_core.h"
#include "server/json_response.h"

namespace seald::api {
namespace {

namespace json = boost::json;
using csc::Answer;
using csc::Dialect;
using server::Request;
using server::RequestContext;
using server::Responder;
using server::Response;
using server::http::status;
using server::http::verb;

Response answer(Answer result) {
  if (!result) {
    return csc::error_response(result.error());
  }
  Response response = server::json_response(status::ok, *result);
  response.set(server::http::field::cache_control, "no-store");
  return response;
}

using Operation = Answer (*)(SigningServices&, const Request&, Dialect);

void add_operation(server::Router& router, SigningServices& s, Dialect dialect,
                   const std::string& base, const char* path, const char* name,
                   Operation operation) {
  std::string route = std::string(dialect == Dialect::v2 ? "csc2_" : "csc1_") + name;
  router.add_async(
      verb::post, base + path, route,
      [&s, dialect, operation](const Request& r, const RequestContext&, Responder respond) {
        boost::asio::post(s.workers, [&s, &r, dialect, operation, respond] {
          respond(answer(operation(s, r, dialect)));
        });
      });
}

void add_dialect(server::Router& router, SigningServices& s, Dialect dialect) {
  std::string base = dialect == Dialect::v2 ? "/csc/v2/" : "/csc/v1/";
  std::string prefix = dialect == Dialect::v2 ? "csc2_" : "csc1_";
  for (verb method : {verb::get, verb::post}) {
    router.add(method, base + "info", prefix + "info",
               [dialect](const Request& r, const RequestContext&) {
                 return server::json_response(status::ok, csc::info(r, dialect));
               });
  }
  add_operation(router, s, dialect, base, "credentials/list", "list", &csc::list_credentials);
  add_operation(router, s, dialect, base, "credentials/info", "credential_info",
                &csc::credential_info);
  add_operation(router, s, dialect, base, "credentials/authorize", "authorize", &csc::authorize);
  router.add_async(
      verb::post, base + "signatures/signHash", prefix + "sign_hash",
      [&s, dialect](const Request& r, const RequestContext& c, Responder respond) {
        auto started = std::chrono::steady_clock::now();
        boost::asio::post(s.workers, [&s, &r, &c, dialect, started, respond] {
          csc::sign_hash(s, r, c, dialect, started,
                         [respond](Answer result, std::optional<std::chrono::seconds> retry_after) {
                           Response response = answer(std::move(result));
                           set_retry_after(response, retry_after);
                           respond(std::move(response));
                         });
        });
      });
}

}  // namespace

void add_csc_routes(server::Router& router, SigningServices& services) {
  add_dialect(router, services, Dialect::v2);
  add_dialect(router, services, Dialect::v1);
}

}  // namespace seald::api
