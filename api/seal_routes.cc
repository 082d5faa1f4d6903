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
#include "api/seal_scope.h"
#include "api/seal_view.h"
#include "authz/decisions.h"
#include "hsm/algorithms.h"
#include "seals/seals.h"
#include "server/json_response.h"

namespace seald::api {
namespace {

using server::http::status;
using server::http::verb;

Result<server::Response> seal_answer(Services& services, status code, const seals::Seal& seal) {
  auto body = seal_json(services, seal);
  if (!body) {
    return body.error();
  }
  return json_ok(code, *body);
}

Result<server::Response> page_answer(Services& services, const seals::SealPage& page,
                                     const Paging& paging) {
  auto body = seal_page_json(services, page.items, page.total, paging);
  if (!body) {
    return body.error();
  }
  return json_ok(status::ok, *body);
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
  auto version = required_version(*body);
  if (!version) {
    return version.error();
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
  auto seal = services.seals.make(id, *version, principal->user_id, options);
  if (!seal) {
    return seal.error();
  }
  services.changes.seal(seal->code);
  if (auto s = audit_action(
          services, context, actor_of(*principal), "seal.make", seal_target(seal->code), "ok",
          {{"application", id},
           {"usage", seal->usage},
           {"key_algorithm", seal->key_algorithm},
           {"certificate_serial", seal->certificate ? seal->certificate->serial_hex : ""}});
      !s) {
    return make_error("audit_unavailable", "the seal was made but its audit record failed");
  }
  return seal_answer(services, status::created, *seal);
}

Result<server::Response> get_seal(Services& services, const server::Request& request,
                                  const server::RequestContext& context) {
  auto reader = load_readable_seal(services, request, context, "seal.read");
  if (!reader) {
    return reader.error();
  }
  return seal_answer(services, status::ok, reader->seal);
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
  // ?serial= picks an earlier certificate (a reissue keeps them), so
  // signatures made before the reissue can still be checked.
  const seals::Certificate* chosen = &*seal->certificate;
  auto serial = query_param(request.target(), "serial");
  if (serial && !serial->empty() && *serial != chosen->serial_hex) {
    chosen = nullptr;
    for (const auto& c : seal->previous_certificates) {
      if (c.serial_hex == *serial) {
        chosen = &c;
      }
    }
    if (chosen == nullptr) {
      return make_error("seal_certificate_not_found",
                        "seal " + seal->code + " has no certificate with serial " + *serial);
    }
  }
  auto pem = seals::certificate_pem(chosen->der);
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
  return page_answer(services, *page, *paging);
}

Result<server::Response> managed_seals(Services& services, const server::Request& request,
                                       const server::RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto org_id = query_param(request.target(), "org_id");
  if (org_id && org_id->empty()) {
    org_id.reset();
  }
  if (!authz::is(*principal, authz::Role::org_seal_admin)) {
    return refuse(services, context, *principal, "seal.list_managed", "org:" + org_id.value_or(""),
                  "the org seal admin role");
  }
  auto paging = parse_paging(request.target());
  if (!paging) {
    return paging.error();
  }
  auto all = seals_in_scope(services, *principal, org_id);
  if (!all) {
    if (all.error().code == "forbidden") {
      return refuse(services, context, *principal, "seal.list_managed", "org:" + *org_id,
                    "an org seal admin scope covering org " + *org_id);
    }
    return all.error();
  }
  seals::SealPage page;
  page.total = all->size();
  for (std::size_t i = paging->offset; i < all->size() && page.items.size() < paging->limit; ++i) {
    page.items.push_back(std::move((*all)[i]));
  }
  return page_answer(services, page, *paging);
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
