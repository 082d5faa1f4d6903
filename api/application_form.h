#pragma once

// The application form as a request body: reading it, filling in the
// seal_admin default approving org, and checking what it refers to.

#include <string_view>

#include <boost/json/object.hpp>

#include "api/services.h"
#include "authz/principal.h"
#include "core/error.h"
#include "workflow/application.h"

namespace seald::api {

// Reads every form field that is present (all strings); field_invalid for a
// non-string. The body's members must already be checked (parse_object).
Result<workflow::ApplicationForm> form_from_json(const boost::json::object& body);

// Completes and checks a form before the workflow stores it:
// - seal_admin without approving_org_id: the scope org's parent decides;
//   a root org has none (approving_org_required);
// - validate_form: field_missing / field_invalid;
// - every org id names an org (org_not_found);
// - every upload id names an upload of caller_id (upload_not_found: someone
//   else's upload is not revealed to exist).
Status complete_and_check(Services& services, std::string_view caller_id,
                          workflow::ApplicationForm& form);

// For revoke, reissue, report_loss and restore: the seal exists, belongs to
// the form's org, the caller applied for it or manages it (otherwise
// seal_not_found, as for a missing seal), and the change is possible in the
// seal's current state (seal_status_conflict). Other kinds pass.
Status check_seal_change(Services& services, const authz::Principal& principal,
                         const workflow::ApplicationForm& form);

}  // namespace seald::api
