#pragma once

// What approving some applications does outside the workflow: a seal_admin
// application makes its applicant org seal admin for the scope (region_code +
// org_id), an org_update application changes the org. Those live in other
// components, which implement this interface.

#include "core/error.h"
#include "workflow/application.h"

namespace seald::workflow {

class Effects {
 public:
  virtual ~Effects() = default;

  // Called after the approval is committed (the application is `completed`),
  // with the application as stored. May be called again for the same
  // application (apply_effects retries one that failed or was interrupted), so
  // it must be idempotent: granting a role already held or setting an org to
  // values it already has succeeds.
  virtual Status apply(const Application& application) = 0;
};

}  // namespace seald::workflow
