// Accounts: verification codes, registration, login and logout, and the
// caller's own profile. The admin side (users, roles) is in
// account_admin_routes.cc.

#include <string>
#include <utility>

#include "api/account_access.h"
#include "api/account_admin_routes.h"
#include "api/account_view.h"
#include "api/handler_kit.h"
#include "api/json_body.h"
#include "api/request_parts.h"
#include "api/routes.h"
#include "identity/validation.h"

namespace seald::api {
namespace {

using server::Request;
using server::RequestContext;
using server::Response;
using server::http::status;
using server::http::verb;

std::string user_target(std::string_view user_id) {
  return "user:" + std::string(user_id);
}

Result<Response> send_code(Services& services, const Request& request,
                           const RequestContext& context) {
  auto body = parse_object(request.body(), {"mobile", "purpose"});
  if (!body) {
    return body.error();
  }
  auto mobile = required_string(*body, "mobile", 32);
  if (!mobile) {
    return mobile.error();
  }
  auto purpose_name = required_string(*body, "purpose", 32);
  if (!purpose_name) {
    return purpose_name.error();
  }
  identity::CodePurpose purpose;
  if (*purpose_name == "register") {
    purpose = identity::CodePurpose::register_account;
  } else if (*purpose_name == "change_mobile") {
    purpose = identity::CodePurpose::change_mobile;
  } else {
    return make_error("field_invalid", "field 'purpose' must be \"register\" or \"change_mobile\"");
  }
  // Whether the number is registered plays no part here, so the answer
  // cannot tell anyone which numbers have accounts.
  if (auto sent = services.identity.codes().send(purpose, *mobile); !sent) {
    return sent.error();
  }
  if (auto a =
          audit_change(services, context, "anonymous", "auth.code_send",
                       "mobile:" + identity::mask_mobile(*mobile), {{"purpose", *purpose_name}});
      !a) {
    return a.error();
  }
  return json_ok(status::accepted, boost::json::object{{"sent", true}});
}

Result<Response> register_user(Services& services, const Request& request,
                               const RequestContext& context) {
  auto body = parse_object(request.body(), {"name", "id_number", "mobile", "password", "code"});
  if (!body) {
    return body.error();
  }
  identity::Registration registration;
  for (auto [field, into] :
       {std::pair{"name", &registration.name}, std::pair{"id_number", &registration.id_number},
        std::pair{"mobile", &registration.mobile}, std::pair{"code", &registration.code}}) {
    auto value = required_string(*body, field);
    if (!value) {
      return value.error();
    }
    *into = std::move(*value);
  }
  auto password = required_string(*body, "password", 1024);
  if (!password) {
    return password.error();
  }
  registration.password = Secret(std::move(*password));
  auto user = services.identity.users().register_user(registration);
  if (!user) {
    return user.error();
  }
  if (auto a = audit_change(
          services, context, user_target(user->id), "user.register", user_target(user->id),
          {{"name", user->name}, {"mobile", identity::mask_mobile(user->mobile)}});
      !a) {
    return a.error();
  }
  return json_ok(status::created, user_json(*user));
}

Result<Response> login(Services& services, const Request& request, const RequestContext& context) {
  auto body = parse_object(request.body(), {"login", "password"});
  if (!body) {
    return body.error();
  }
  auto login_name = required_string(*body, "login", 64);
  if (!login_name) {
    return login_name.error();
  }
  auto password = required_string(*body, "password", 1024);
  if (!password) {
    return password.error();
  }
  auto session = services.identity.sessions().login(*login_name, Secret(std::move(*password)));
  if (!session) {
    return session.error();
  }
  if (auto a = audit_change(services, context, user_target(session->user.id), "auth.login",
                            user_target(session->user.id));
      !a) {
    // An unrecorded login must not be usable.
    (void)services.identity.sessions().logout(session->token.reveal());
    return a.error();
  }
  boost::json::object out;
  out["token"] = session->token.reveal();
  out["expires_at_ms"] = session->expires_ms;
  out["user"] = user_json(session->user);
  return json_ok(status::ok, out);
}

Result<Response> logout(Services& services, const Request& request, const RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  if (auto ended = services.identity.sessions().logout(bearer_token(request).value_or(""));
      !ended) {
    return ended.error();
  }
  std::string actor = actor_of(*principal);
  if (auto a = audit_change(services, context, actor, "auth.logout", actor); !a) {
    return a.error();
  }
  return Response{status::no_content, 11};
}

Result<Response> get_me(Services& services, const Request& request, const RequestContext&) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto user = services.identity.users().get(principal->user_id);
  if (!user) {
    return user.error();
  }
  auto out = user_json(*user);
  out["roles"] = grants_json(principal->grants);
  return json_ok(status::ok, out);
}

Result<Response> patch_me(Services& services, const Request& request,
                          const RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto body = parse_object(request.body(), {"version", "name"});
  if (!body) {
    return body.error();
  }
  auto version = required_version(*body);
  if (!version) {
    return version.error();
  }
  auto name = required_string(*body, "name");
  if (!name) {
    return name.error();
  }
  auto user = services.identity.users().update_name(principal->user_id, *version, *name);
  if (!user) {
    return user.error();
  }
  std::string actor = actor_of(*principal);
  if (auto a = audit_change(services, context, actor, "user.update", actor,
                            {{"name.before", principal->name}, {"name.after", user->name}});
      !a) {
    return a.error();
  }
  return json_ok(status::ok, user_json(*user));
}

Result<Response> change_mobile(Services& services, const Request& request,
                               const RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto body = parse_object(request.body(), {"version", "mobile", "code"});
  if (!body) {
    return body.error();
  }
  auto version = required_version(*body);
  if (!version) {
    return version.error();
  }
  auto mobile = required_string(*body, "mobile", 32);
  if (!mobile) {
    return mobile.error();
  }
  auto code = required_string(*body, "code", 32);
  if (!code) {
    return code.error();
  }
  auto before = services.identity.users().get(principal->user_id);
  if (!before) {
    return before.error();
  }
  auto user = services.identity.users().change_mobile(principal->user_id, *version, *mobile, *code);
  if (!user) {
    return user.error();
  }
  std::string actor = actor_of(*principal);
  if (auto a = audit_change(services, context, actor, "user.mobile_change", actor,
                            {{"mobile.before", identity::mask_mobile(before->mobile)},
                             {"mobile.after", identity::mask_mobile(user->mobile)}});
      !a) {
    return a.error();
  }
  return json_ok(status::ok, user_json(*user));
}

}  // namespace

void add_account_routes(server::Router& router, Services& services) {
  router.add_async(verb::post, "/api/v1/auth/codes", "auth_codes", offload(services, send_code));
  router.add_async(verb::post, "/api/v1/users", "user_register", offload(services, register_user));
  router.add_async(verb::post, "/api/v1/auth/login", "auth_login", offload(services, login));
  router.add_async(verb::post, "/api/v1/auth/logout", "auth_logout", offload(services, logout));
  router.add_async(verb::get, "/api/v1/me", "me_get", offload(services, get_me));
  router.add_async(verb::patch, "/api/v1/me", "me_update", offload(services, patch_me));
  router.add_async(verb::post, "/api/v1/me/mobile", "me_mobile", offload(services, change_mobile));
  add_account_admin_routes(router, services);
}

}  // namespace seald::api
