#include "api/workflow_effects.h"

#include <string>

#include "orgs/credit_code.h"

namespace seald::api {

Status WorkflowEffects::apply(const workflow::Application& application) {
  switch (application.kind) {
    case workflow::Kind::seal_admin:
      return grant_seal_admin(application);
    case workflow::Kind::org_update:
      return update_org(application);
    default:
      return make_error(
          "effect_not_applicable",
          std::string(workflow::to_string(application.kind)) + " applications have no effect");
  }
}

Status WorkflowEffects::grant_seal_admin(const workflow::Application& application) {
  // RoleStore::grant reports an already-held grant as success (false).
  auto granted = roles_.grant(
      application.applicant_id,
      authz::Grant::org_seal_admin(application.form.region_code, application.form.org_id));
  if (!granted) {
    return granted.error();
  }
  return {};
}

Status WorkflowEffects::update_org(const workflow::Application& application) {
  const workflow::ApplicationForm& form = application.form;
  // Another change may land between the read and the write; one retry on a
  // version conflict covers an honest race, and a persistent conflict is
  // reported so apply_effects can be run again later.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto org = orgs_.get(form.org_id);
    if (!org) {
      return org.error();
    }
    orgs::OrgChange change;
    if (!form.new_name.empty() && form.new_name != org->name) {
      change.name = form.new_name;
    }
    if (!form.new_credit_code.empty()) {
      auto canonical = orgs::parse_credit_code(form.new_credit_code);
      if (!canonical) {
        return canonical.error();
      }
      if (*canonical != org->credit_code) {
        change.credit_code = *canonical;
      }
    }
    if (!form.new_parent_org_id.empty() && form.new_parent_org_id != org->parent_id) {
      change.parent_id = form.new_parent_org_id;
    }
    if (!change.name && !change.credit_code && !change.parent_id) {
      return {};  // already applied (a replay), or nothing left to change
    }
    auto applied = orgs_.apply_change(org->id, org->version, change);
    if (applied) {
      return {};
    }
    if (applied.error().code != "org_version_conflict") {
      return applied.error();
    }
  }
  return make_error("org_version_conflict",
                    "organisation " + form.org_id + " kept changing; retry the effect");
}

}  // namespace seald::api
