// POST /oauth2/token: the OAuth 2.0 client credentials grant (RFC 6749
// §4.4). A registered app sends its client_id and client_secret, in the
// form body or with HTTP Basic, and gets a short-lived Bearer token for the
// signing API. Answers and refusals follow RFC 6749 §5: {"access_token",
// "token_type": "Bearer", "expires_in"} or {"error": invalid_request |
// unsupported_grant_type | invalid_client, "error_description"}; a disabled
// app is told app_disabled. The secret is compared as a hash in constant
// time by the app store and never logged.

#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "api/request_parts.h"
#include "api/routes.h"
#include "core/base64.h"
#include "core/secret.h"
#include "server/json_response.h"

namespace seald::api {
namespace {

namespace json = boost::json;
using server::Request;
using server::RequestContext;
using server::Responder;
using server::Response;
using server::http::status;
using server::http::verb;

Response oauth_error(status code, std::string_view error, std::string_view description) {
  Response response = server::json_response(
      code, json::object{{"error", error}, {"error_description", description}});
  if (code == status::unauthorized) {
    response.set(server::http::field::www_authenticate, "Basic realm=\"seald\"");
  }
  response.set(server::http::field::cache_control, "no-store");
  return response;
}

struct ClientCredentials {
  std::string client_id;
  Secret client_secret;
};

// From "Authorization: Basic base64(id:secret)" or, without it, the body.
std::optional<ClientCredentials> credentials(const Request& request, const std::string& form) {
  auto it = request.find(server::http::field::authorization);
  if (it != request.end()) {
    std::string_view value = it->value();
    if (value.size() < 6 || (value.substr(0, 6) != "Basic " && value.substr(0, 6) != "basic ")) {
      return std::nullopt;
    }
    auto decoded = base64_decode(value.substr(6));
    if (!decoded) {
      return std::nullopt;
    }
    std::string pair(decoded->begin(), decoded->end());
    auto colon = pair.find(':');
    if (colon == std::string::npos) {
      return std::nullopt;
    }
    return ClientCredentials{pair.substr(0, colon), Secret(pair.substr(colon + 1))};
  }
  auto id = query_param(form, "client_id");
  auto secret = query_param(form, "client_secret");
  if (!id || !secret) {
    return std::nullopt;
  }
  return ClientCredentials{std::move(*id), Secret(std::move(*secret))};
}

// RFC 6749 §3.2: no parameter may appear twice. Taking the first (or the
// last) would let a proxy and seald disagree about which client asked.
bool repeats_a_parameter(const std::string& form) {
  auto url = boost::urls::parse_origin_form(form);
  if (!url) {
    return false;
  }
  for (std::string_view name : {"grant_type", "client_id", "client_secret", "scope"}) {
    if (url->params().count(name) > 1) {
      return true;
    }
  }
  return false;
}

Response issue(SigningServices& s, const Request& request) {
  auto type = request.find(server::http::field::content_type);
  if (type == request.end() ||
      !std::string_view(type->value()).starts_with("application/x-www-form-urlencoded")) {
    return oauth_error(status::bad_request, "invalid_request",
                       "send the parameters as application/x-www-form-urlencoded");
  }
  // query_param reads an origin-form target; the body is the same grammar.
  std::string form = "/?" + std::string(request.body());
  if (repeats_a_parameter(form)) {
    return oauth_error(status::bad_request, "invalid_request", "a parameter appears twice");
  }
  auto grant = query_param(form, "grant_type");
  if (!grant) {
    return oauth_error(status::bad_request, "invalid_request", "grant_type is required");
  }
  if (*grant != "client_credentials") {
    return oauth_error(status::bad_request, "unsupported_grant_type",
                       "only grant_type=client_credentials is supported");
  }
  auto client = credentials(request, form);
  if (!client) {
    return oauth_error(status::unauthorized, "invalid_client",
                       "authenticate with client_id and client_secret (body or HTTP Basic)");
  }
  auto app = s.apps.verify_secret(client->client_id, client->client_secret);
  if (!app) {
    if (app.error().code == "app_disabled") {
      return oauth_error(status::forbidden, "app_disabled", app.error().message);
    }
    if (app.error().code == "app_credentials_invalid") {
      return oauth_error(status::unauthorized, "invalid_client", "unknown client or wrong secret");
    }
    return oauth_error(status::service_unavailable, "temporarily_unavailable",
                       "credentials could not be checked; try again");
  }
  auto token = s.tokens.issue(app->id);
  if (!token) {
    return oauth_error(status::service_unavailable, "temporarily_unavailable",
                       "no token could be issued; try again");
  }
  Response response =
      server::json_response(status::ok, json::object{{"access_token", token->access_token.reveal()},
                                                     {"token_type", "Bearer"},
                                                     {"expires_in", token->expires_in_s}});
  response.set(server::http::field::cache_control, "no-store");
  return response;
}

}  // namespace

void add_token_route(server::Router& router, SigningServices& services) {
  router.add_async(verb::post, "/oauth2/token", "oauth2_token",
                   [&services](const Request& r, const RequestContext&, Responder respond) {
                     boost::asio::post(services.workers,
                                       [&services, &r, respond] { respond(issue(services, r)); });
                   });
}

}  // namespace seald::api
