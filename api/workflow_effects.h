#pragma once

// The real workflow::Effects: what approving a seal_admin or org_update
// application does to the role and organisation stores. Both effects are
// idempotent, because the workflow retries an effect that failed or was
// interrupted (Workflow::apply_effects).

#include "authz/role_store.h"
#include "orgs/org_store.h"
#include "workflow/effects.h"

namespace seald::api {

class WorkflowEffects : public workflow::Effects {
 public:
  WorkflowEffects(authz::RoleStore& roles, orgs::OrgStore& orgs) : roles_(roles), orgs_(orgs) {}

  // seal_admin: grants the applicant org_seal_admin(region_code, org_id).
  // org_update: sets the org's credit code, name and parent to the form's
  // values; fields already at those values are left alone, so a replay is a
  // no-op. Other kinds: effect_not_applicable.
  Status apply(const workflow::Application& application) override;

 private:
  Status grant_seal_admin(const workflow::Application& application);
  Status update_org(const workflow::Application& application);

  authz::RoleStore& roles_;
  orgs::OrgStore& orgs_;
};

}  // namespace seald::api
