// POST /uploads and GET /uploads/{id}: files attached to applications
// (scanned forms, licences, seal pictures). The kind comes from the bytes,
// never from the client's Content-Type.

#include <string>

#include "api/application_access.h"
#include "api/application_route_groups.h"
#include "api/handler_kit.h"
#include "authz/decisions.h"
#include "server/json_response.h"

namespace seald::api {
namespace {

using server::http::status;
using server::http::verb;

bool may_fetch(const authz::Principal& principal, const uploads::UploadInfo& info) {
  // Reviewers and operators read the attachments of the applications they
  // handle; uploads are not tied to one application, so any reviewer may.
  return principal.user_id == info.uploader_id || authz::is(principal, authz::Role::system_admin) ||
         authz::is(principal, authz::Role::reviewer) ||
         authz::is(principal, authz::Role::operator_);
}

Result<server::Response> create_upload(Services& services, const server::Request& request,
                                       const server::RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto info = services.uploads.put(request.body(), principal->user_id, uploads::UploadPolicy{});
  if (!info) {
    return info.error();
  }
  auto audited = audit_action(services, context, actor_of(*principal), "upload.create",
                              "upload:" + info->id, "ok",
                              {{"content_type", info->content_type},
                               {"size", std::to_string(info->size)},
                               {"sha256", info->sha256}});
  if (!audited) {
    return make_error("audit_unavailable", "the upload could not be audited; try again later");
  }
  return json_ok(status::created, boost::json::object{{"id", info->id},
                                                      {"content_type", info->content_type},
                                                      {"size", info->size},
                                                      {"sha256", info->sha256}});
}

Result<server::Response> get_upload(Services& services, const server::Request& request,
                                    const server::RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  std::string id(context.param("id"));
  auto info = services.uploads.info(id);
  if (!info) {
    if (info.error().code.ends_with("_invalid")) {
      return make_error("upload_not_found", "no upload " + id);
    }
    return info.error();
  }
  if (!may_fetch(*principal, *info)) {
    return refuse(services, context, *principal, "upload.read", "upload:" + id,
                  "the uploader, a system admin, a reviewer or an operator");
  }
  auto upload = services.uploads.get(id);
  if (!upload) {
    return upload.error();
  }
  auto response =
      server::text_response(status::ok, std::move(upload->bytes), upload->info.content_type);
  // The bytes were checked to be of their kind, but a browser must not
  // second-guess the type of a file someone else uploaded.
  response.set("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace

void add_upload_routes(server::Router& router, Services& services) {
  router.add_async(verb::post, "/api/v1/uploads", "upload_create",
                   offload(services, [&services](const auto& request, const auto& context) {
                     return create_upload(services, request, context);
                   }));
  router.add_async(verb::get, "/api/v1/uploads/{id}", "upload_get",
                   offload(services, [&services](const auto& request, const auto& context) {
                     return get_upload(services, request, context);
                   }));
}

}  // namespace seald::api
