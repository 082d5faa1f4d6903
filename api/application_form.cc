#include "api/application_form.h"

#include <string>
#include <utility>

#include "api/json_body.h"
#include "api/seal_scope.h"
#include "seals/lifecycle.h"
#include "workflow/validation.h"

namespace seald::api {
namespace {

// Generous byte limits: the workflow's validation counts characters and
// gives the precise message.
constexpr std::size_t kMaxFieldBytes = 4096;

Status check_org(Services& services, std::string_view field, const std::string& id) {
  if (id.empty()) {
    return {};
  }
  auto org = services.orgs.get(id);
  if (!org) {
    if (org.error().code == "org_not_found" || org.error().code.ends_with("_invalid")) {
      return make_error("org_not_found", std::string(field) + ": no organisation " + id);
    }
    return org.error();
  }
  return {};
}

Status check_upload(Services& services, std::string_view caller_id, std::string_view field,
                    const std::string& id) {
  if (id.empty()) {
    return {};
  }
  auto info = services.uploads.info(id);
  if (!info) {
    if (info.error().code != "upload_not_found" && !info.error().code.ends_with("_invalid")) {
      return info.error();
    }
  } else if (info->uploader_id == caller_id) {
    return {};
  }
  return make_error("upload_not_found", std::string(field) + ": no upload " + id + " of yours");
}

}  // namespace

Result<workflow::ApplicationForm> form_from_json(const boost::json::object& body) {
  workflow::ApplicationForm form;
  std::pair<std::string_view, std::string*> fields[] = {
      {"kind", &form.kind},
      {"org_id", &form.org_id},
      {"approving_org_id", &form.approving_org_id},
      {"form_upload_id", &form.form_upload_id},
      {"seal_name", &form.seal_name},
      {"seal_type", &form.seal_type},
      {"usage", &form.usage},
      {"validity", &form.validity},
      {"creation_method", &form.creation_method},
      {"image_upload_id", &form.image_upload_id},
      {"payment_mode", &form.payment_mode},
      {"seal_code", &form.seal_code},
      {"reason", &form.reason},
      {"new_credit_code", &form.new_credit_code},
      {"new_name", &form.new_name},
      {"new_parent_org_id", &form.new_parent_org_id},
      {"licence_upload_id", &form.licence_upload_id},
      {"region_code", &form.region_code},
  };
  for (auto& [name, target] : fields) {
    auto value = optional_string(body, name, kMaxFieldBytes);
    if (!value) {
      return value.error();
    }
    if (*value) {
      *target = std::move(**value);
    }
  }
  return form;
}

Status complete_and_check(Services& services, std::string_view caller_id,
                          workflow::ApplicationForm& form) {
  if (form.kind == "seal_admin" && form.approving_org_id.empty() && !form.org_id.empty()) {
    auto scope_org = services.orgs.get(form.org_id);
    if (!scope_org) {
      if (scope_org.error().code == "org_not_found" ||
          scope_org.error().code.ends_with("_invalid")) {
        return make_error("org_not_found", "org_id: no organisation " + form.org_id);
      }
      return scope_org.error();
    }
    if (scope_org->is_root()) {
      return make_error("approving_org_required",
                        "approving_org_id: organisation " + form.org_id +
                            " is a root and has no superior org; name the approving org");
    }
    form.approving_org_id = scope_org->parent_id;
  }
  if (auto s = workflow::validate_form(form); !s) {
    return s;
  }
  for (auto [field, id] : {std::pair<std::string_view, const std::string*>{"org_id", &form.org_id},
                           {"approving_org_id", &form.approving_org_id},
                           {"new_parent_org_id", &form.new_parent_org_id}}) {
    if (auto s = check_org(services, field, *id); !s) {
      return s;
    }
  }
  for (auto [field, id] :
       {std::pair<std::string_view, const std::string*>{"form_upload_id", &form.form_upload_id},
        {"image_upload_id", &form.image_upload_id},
        {"licence_upload_id", &form.licence_upload_id}}) {
    if (auto s = check_upload(services, caller_id, field, *id); !s) {
      return s;
    }
  }
  return {};
}

Status check_seal_change(Services& services, const authz::Principal& principal,
                         const workflow::ApplicationForm& form) {
  auto action = seals::parse_lifecycle_action(form.kind);
  if (!action) {
    return {};
  }
  auto seal = services.seals.get(form.seal_code);
  if (!seal) {
    return seal.error();
  }
  if (principal.user_id != seal->applicant_id) {
    auto managed = manages_seal(services, principal, *seal);
    if (!managed) {
      return managed.error();
    }
    if (!*managed) {
      // Not revealed to exist: a seal code is not a secret, but who may act
      // on which seal is nobody else's business.
      return make_error("seal_not_found",
                        "seal_code: no seal " + form.seal_code + " that you applied for or manage");
    }
  }
  if (seal->org_id != form.org_id) {
    return make_error("field_invalid", "org_id: seal " + seal->code + " belongs to org " +
                                           seal->org_id + ", not " + form.org_id);
  }
  if (!seals::lifecycle_target(*action, seal->status, seal->usage)) {
    return make_error("seal_status_conflict",
                      "seal " + seal->code + " is " + std::string(seals::to_string(seal->status)) +
                          " (" + seal->usage + "): " + form.kind + " is not possible");
  }
  return {};
}

}  // namespace seald::api
