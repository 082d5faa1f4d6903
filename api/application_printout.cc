// GET /applications/{id}/form.pdf: the form the applicant prints, has
// signed and stamped, scans and uploads (manual §3.1.2, §3.3.2). The manual
// has one for new seals and one for seal administrators; other kinds have
// no printable form.

#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>

#include "api/application_access.h"
#include "api/application_route_groups.h"
#include "api/handler_kit.h"
#include "forms/pdf_form.h"
#include "forms/standard_forms.h"
#include "server/json_response.h"

namespace seald::api {
namespace {

using server::http::status;
using server::http::verb;

std::string seal_type_name(std::string_view type) {
  if (type == "legal_name")
    return "电子法定名称章";
  if (type == "finance")
    return "电子财务专用章";
  if (type == "invoice")
    return "电子发票专用章";
  if (type == "contract")
    return "电子合同专用章";
  if (type == "business")
    return "电子业务专用章";
  if (type == "personal_name")
    return "电子名章";
  return std::string(type);
}

std::string usage_name(std::string_view usage) {
  if (usage == "ukey")
    return "Ukey签章";
  if (usage == "cloud")
    return "云签章";
  return std::string(usage);
}

std::string validity_name(std::string_view validity) {
  if (validity == "1y")
    return "一年";
  if (validity == "2y")
    return "两年";
  return std::string(validity);
}

// The forms are filed with Chinese authorities: the date is Beijing time
// (UTC+8, no daylight saving), whatever the server's time zone.
std::string beijing_date(std::int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000 + 8 * 3600);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

Result<server::Response> printout(Services& services, const server::Request& request,
                                  const server::RequestContext& context) {
  auto principal = authenticate(services, request);
  if (!principal) {
    return principal.error();
  }
  auto app =
      load_readable(services, context, *principal, context.param("id"), "application.form_pdf");
  if (!app) {
    return app.error();
  }
  if (app->kind != workflow::Kind::new_seal && app->kind != workflow::Kind::seal_admin) {
    return make_error("printable_form_not_found", std::string(workflow::to_string(app->kind)) +
                                                      " applications have no printable form");
  }
  auto org = services.orgs.get(app->form.org_id);
  if (!org) {
    return org.error();
  }
  auto approving = services.orgs.get(app->form.approving_org_id);
  if (!approving) {
    return approving.error();
  }
  auto applicant = services.identity.users().get(app->applicant_id);
  if (!applicant) {
    return applicant.error();
  }
  forms::FormSpec spec;
  if (app->kind == workflow::Kind::new_seal) {
    spec = forms::seal_application_form({.application_id = app->id,
                                         .org_name = org->name,
                                         .credit_code = org->credit_code,
                                         .seal_name = app->form.seal_name,
                                         .seal_type = seal_type_name(app->form.seal_type),
                                         .usage = usage_name(app->form.usage),
                                         .validity = validity_name(app->form.validity),
                                         .approving_org = approving->name,
                                         .applicant = applicant->name,
                                         .applicant_phone = applicant->mobile,
                                         .date = beijing_date(app->created_at_ms)});
  } else {
    spec = forms::seal_admin_application_form({.application_id = app->id,
                                               .applicant = applicant->name,
                                               .applicant_phone = applicant->mobile,
                                               .org_name = org->name,
                                               .credit_code = org->credit_code,
                                               .scope_region = app->form.region_code,
                                               .scope_org = org->name,
                                               .approving_org = approving->name,
                                               .date = beijing_date(app->created_at_ms)});
  }
  auto pdf = forms::render_form_pdf(spec);
  if (!pdf) {
    return pdf.error();
  }
  auto response = server::text_response(status::ok, std::move(*pdf), "application/pdf");
  response.set("Content-Disposition", "inline; filename=\"application-" + app->id + ".pdf\"");
  return response;
}

}  // namespace

void add_application_printout_route(server::Router& router, Services& services) {
  router.add_async(verb::get, "/api/v1/applications/{id}/form.pdf", "application_form_pdf",
                   offload(services, [&services](const auto& request, const auto& context) {
                     return printout(services, request, context);
                   }));
}

}  // namespace seald::api
