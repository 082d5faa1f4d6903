// Seals over HTTP: an operator makes the seal of an approved `new`
// application; the applicant, an org seal admin whose scope covers the
// seal's org, an operator or a system admin read it and its image; anyone
// signed in fetches a seal certificate (it is public by nature); the
// applicant lists the seals they applied for and an org seal admin the
// seals of a subtree within its scope. Every change and every refusal is
// audited.

#include <boost/json.hpp>

#include "api/application_access.h"
#include "api/error_status.h"
#include "api/handler_kit.h"
#include "api/json_body.h"
#include "api/request_parts.h"
#include "api/routes.h"
#include "authz/decisions.h"
#include "hsm/algorithms.h"
#include "seals/seals.h"
#include "server/json_response.h"

namespace seald::api {
namespace {

using server::http::status;
using server::http::verb;

std::string seal_target(std::string_view code) {
  return "seal:" + std::string(code);
}

boost::json::object seal_json(const seals::Seal& s) {
  boost::json::object o{
      {"code", s.code},
      {"name", s.name},
      {"org_id", s.org_id},
      {"type", s.type},
      {"usage", s.usage},
      {"validity", s.validity},
      {"status", seals::to_string(s.status)},
      {"application_id", s.application_id},
      {"applicant_id", s.applicant_id},
      {"key_algorithm", s.key_algorithm},
      {"certificate_serial", s.certificate ? s.certificate->serial_hex : std::string()},
      {"not_before_ms", s.not_before_ms},
      {"not_after_ms", s.not_after_ms},
      {"enabled_ms", s.enabled_ms},
      {"image_url", "/api/v1/seals/" + s.code + "/image"},
      {"version", s.version},
      // The apps holding grants arrive with the grants work.
      {"apps", boost::json::array()},
  };
  return o;
}

boost::json::object page_json(const seals::SealPage& page, const Paging& paging) {
  boost::json::array items;
  for (const auto& s : page.items) {
    items.push_back(seal_json(s));
  }
  return {{"items", std::move(items)},
          {"total", page.total},
          {"offset", paging.offset},
          {"limit", paging.limit}};
}

// The applicant, an operator, a system admin, or an org seal admin whose
// scope covers the seal's org.
Result<bool> may_read_seal(Services& services, const authz::Principal& p, const seals::Seal& s) {
  if (p.user_id == s.applicant_id || authz::is(p, authz::Role::operator_) ||
      authz::is(p, authz::Role::system_admin)) {
    return true;
  }
  if (!authz::is(p, authz::Role::org_seal_admin)) {
    return false;
  }
  auto ancestors = services.orgs.ancestors(s.org_id);
  if (!ancestors) {
    return ancestors.error();
  }
  return authz::admin_scope_covers(p, s.org_id, *ancestors);
}

struct Reader {
  authz::Principal principal;
  seals::Seal seal;
};

Result<Reader> load_readable_seal(Services& services, const server::Request& request,
                                  const server::RequestContext& context, std::string action) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto seal = services.seals.get(context.param("code"));
  if (!seal) {
    return seal.error();
  }
  auto allowed = may_read_seal(services, *principal, *seal);
  if (!allowed) {
    return allowed.error();
  }
  if (!*allowed) {
    return refuse(services, context, *principal, std::move(action), seal_target(seal->code),
                  "the applicant, an operator, a system admin or an org seal admin of its org");
  }
  return Reader{std::move(*principal), std::move(*seal)};
}

Result<server::Response> make_seal(Services& services, const server::Request& request,
                                   const server::RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  std::string id(context.param("id"));
  if (!authz::is(*principal, authz::Role::operator_)) {
    return refuse(services, context, *principal, "seal.make", application_target(id),
                  "the operator role");
  }
  auto body = parse_object(request.body(), {"version", "key_algorithm", "comment"});
  if (!body) {
    return body.error();
  }
  auto version = optional_int(*body, "version");
  if (!version) {
    return version.error();
  }
  if (!*version) {
    return make_error("field_missing", "field 'version' is required: send the version you read");
  }
  seals::MakeOptions options;
  auto algorithm = optional_string(*body, "key_algorithm", 16);
  if (!algorithm) {
    return algorithm.error();
  }
  if (*algorithm) {
    auto parsed = hsm::parse_key_algorithm(**algorithm);
    if (!parsed) {
      return make_error("field_invalid",
                        "key_algorithm must be ec-p256, ec-p384, rsa-2048 or rsa-3072");
    }
    options.algorithm = *parsed;
  }
  auto comment = optional_string(*body, "comment", 4096);
  if (!comment) {
    return comment.error();
  }
  options.comment = comment->value_or("");
  auto seal = services.seals.make(id, **version, principal->user_id, options);
  if (!seal) {
    return seal.error();
  }
  if (auto s = audit_action(
          services, context, actor_of(*principal), "seal.make", seal_target(seal->code), "ok",
          {{"application", id},
           {"usage", seal->usage},
           {"key_algorithm", seal->key_algorithm},
           {"certificate_serial", seal->certificate ? seal->certificate->serial_hex : ""}});
      !s) {
    return make_error("audit_unavailable", "the seal was made but its audit record failed");
  }
  return json_ok(status::created, seal_json(*seal));
}

Result<server::Response> get_seal(Services& services, const server::Request& request,
                                  const server::RequestContext& context) {
  auto reader = load_readable_seal(services, request, context, "seal.read");
  if (!reader) {
    return reader.error();
  }
  return json_ok(status::ok, seal_json(reader->seal));
}

Result<server::Response> get_image(Services& services, const server::Request& request,
                                   const server::RequestContext& context) {
  auto reader = load_readable_seal(services, request, context, "seal.image");
  if (!reader) {
    return reader.error();
  }
  auto image = services.seals.image(reader->seal);
  if (!image) {
    return image.error();
  }
  auto response = server::text_response(status::ok, std::move(image->bytes), image->content_type);
  response.set("X-Content-Type-Options", "nosniff");
  // An SVG opened directly must not run anything.
  response.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  return response;
}

Result<server::Response> get_certificate(Services& services, const server::Request& request,
                                         const server::RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto seal = services.seals.get(context.param("code"));
  if (!seal) {
    return seal.error();
  }
  if (!seal->certificate) {
    return make_error("seal_certificate_not_found",
                      "seal " + seal->code + " is a UKey seal; its certificate is not held here");
  }
  auto pem = seals::certificate_pem(seal->certificate->der);
  return server::text_response(status::ok, std::move(pem), "application/x-pem-file");
}

Result<server::Response> my_seals(Services& services, const server::Request& request,
                                  const server::RequestContext&) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto paging = parse_paging(request.target());
  if (!paging) {
    return paging.error();
  }
  auto page = services.seals.list_by_applicant(principal->user_id, paging->offset, paging->limit);
  if (!page) {
    return page.error();
  }
  return json_ok(status::ok, page_json(*page, *paging));
}

Result<server::Response> managed_seals(Services& services, const server::Request& request,
                                       const server::RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto org_id = query_param(request.target(), "org_id");
  if (!authz::is(*principal, authz::Role::org_seal_admin)) {
    return refuse(services, context, *principal, "seal.list_managed", "org:" + org_id.value_or(""),
                  "the org seal admin role");
  }
  if (!org_id || org_id->empty()) {
    return make_error("field_missing", "query parameter org_id is required");
  }
  auto paging = parse_paging(request.target());
  if (!paging) {
    return paging.error();
  }
  auto ancestors = services.orgs.ancestors(*org_id);
  if (!ancestors) {
    return ancestors.error();
  }
  if (!authz::admin_scope_covers(*principal, *org_id, *ancestors)) {
    return refuse(services, context, *principal, "seal.list_managed", "org:" + *org_id,
                  "an org seal admin scope covering org " + *org_id);
  }
  auto page = services.seals.list_in_subtree(*org_id, paging->offset, paging->limit);
  if (!page) {
    return page.error();
  }
  return json_ok(status::ok, page_json(*page, *paging));
}

template <class F>
server::AsyncHandler route(Services& services, F f) {
  return offload(services, [&services, f](const auto& request, const auto& context) {
    return f(services, request, context);
  });
}

}  // namespace

void add_seal_routes(server::Router& router, Services& services) {
  router.add_async(verb::post, "/api/v1/applications/{id}/make", "seal_make",
                   route(services, make_seal));
  router.add_async(verb::get, "/api/v1/seals/{code}", "seal_get", route(services, get_seal));
  router.add_async(verb::get, "/api/v1/seals/{code}/image", "seal_image",
                   route(services, get_image));
  router.add_async(verb::get, "/api/v1/seals/{code}/certificate", "seal_certificate",
                   route(services, get_certificate));
  router.add_async(verb::get, "/api/v1/me/seals", "seal_list_mine", route(services, my_seals));
  router.add_async(verb::get, "/api/v1/managed-seals", "seal_list_managed",
                   route(services, managed_seals));
}

}  // namespace seald::api
