#pragma once

// The application state machine (manual §2.4, §3.2), in one place:
//   pending_review --approve--> pending_make --complete--> completed
//   pending_review --approve--> completed            (seal_admin, org_update)
//   pending_review --return--> returned --edit--> returned --resubmit--> pending_review
//   pending_review | returned --withdraw--> withdrawn
//   paid (new only) keeps the state: pending_review, returned or pending_make.

#include <optional>

#include "workflow/application.h"

namespace seald::workflow {

// The state `action` leads to from `from` for an application of `kind`, or
// nullopt when the action is not allowed there. `created` is never a transition.
std::optional<State> next_state(Action action, Kind kind, State from);

}  // namespace seald::workflow
