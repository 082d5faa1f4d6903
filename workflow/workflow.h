#pragma once

// The application workflow (申请 and its review): create, edit, resubmit,
// withdraw, return, approve, complete, mark paid; history; the lists the UI
// pages through; and the seal-name claims that keep seal names unique.
//
// Who may act is mostly the caller's business (authz decides who is a
// reviewer of the approving org, or an operator). The workflow itself checks
// only what the record knows: edit, resubmit and withdraw are the applicant's.
// Every change takes the version the caller last saw and fails with
// application_version_conflict if the record moved since; a refused call
// changes nothing in Redis.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "redis/pool.h"
#include "workflow/application.h"
#include "workflow/effects.h"
#include "workflow/store.h"

namespace seald::workflow {

struct ApplicantFilter {
  std::optional<Kind> kind;
  std::optional<State> state;
};

// The outcome of approve(): the application as committed, and — for kinds
// with an effect (seal_admin, org_update) — how the effect went. The approval
// stands either way; a failed effect leaves effect == pending and can be
// retried with apply_effects().
struct Approval {
  Application application;
  bool effect_required = false;
  std::optional<Error> effect_error;  // set when the effect was required and failed
};

class Workflow {
 public:
  // effects may be null: approvals of seal_admin/org_update then stay with
  // effect pending (effects_not_configured) until apply_effects runs with one.
  Workflow(redis::Pool& pool, Effects* effects);

  // A new application in pending_review, history "created". The seal name of a
  // `new` application is claimed atomically with it.
  Result<Application> create(std::string_view applicant_id, const ApplicationForm& form);

  Result<Application> get(std::string_view id);
  Result<std::vector<HistoryEntry>> history(std::string_view id);

  // Applicant only, in `returned`: replaces the form (same kind). A new seal
  // name is claimed and the old one released in the same step.
  Result<Application> edit(std::string_view id, std::int64_t expected_version,
                           std::string_view actor_id, const ApplicationForm& form);
  // Applicant only: returned -> pending_review. The comment is optional.
  Result<Application> resubmit(std::string_view id, std::int64_t expected_version,
                               std::string_view actor_id, std::string_view comment = {});
  // Applicant only: pending_review | returned -> withdrawn; frees the seal name.
  Result<Application> withdraw(std::string_view id, std::int64_t expected_version,
                               std::string_view actor_id, std::string_view comment = {});

  // Reviewer: pending_review -> returned, with a required comment.
  Result<Application> return_to_applicant(std::string_view id, std::int64_t expected_version,
                                          std::string_view reviewer_id, std::string_view comment);
  // Reviewer: pending_review -> pending_make, or -> completed for seal_admin
  // and org_update, whose effect then runs (after the commit). A `new`
  // application with payment_mode self must be paid first.
  Result<Approval> approve(std::string_view id, std::int64_t expected_version,
                           std::string_view reviewer_id, std::string_view comment = {});
  // Operator: pending_make -> completed (the seal has been made).
  Result<Application> complete(std::string_view id, std::int64_t expected_version,
                               std::string_view operator_id, std::string_view comment = {});
  // `new` applications: payment_status unpaid -> paid (no gateway: whoever
  // confirms the payment calls this). The state does not change.
  Result<Application> mark_paid(std::string_view id, std::int64_t expected_version,
                                std::string_view actor_id);

  // Runs the effect of a completed seal_admin/org_update application whose
  // effect is still pending; succeeds at once if it was already applied.
  Status apply_effects(std::string_view id);

  // Lists, newest first; limit is capped at kMaxPageSize.
  Result<Page> list_by_applicant(std::string_view applicant_id, const ApplicantFilter& filter,
                                 std::size_t offset, std::size_t limit);
  // Reviewer queue: only pending_review applications for this approving org.
  Result<Page> review_queue(std::string_view approving_org_id, std::size_t offset,
                            std::size_t limit);
  Result<Page> list_by_org(std::string_view org_id, std::size_t offset, std::size_t limit);
  // Operators: e.g. the pending_make queue.
  Result<Page> list_by_state(State state, std::size_t offset, std::size_t limit);
  // Approved applications whose effect has not been applied yet (to retry).
  Result<Page> list_pending_effects(std::size_t offset, std::size_t limit);

  // Seal-name claims, for the seal component. Who holds a name now
  // ("application:<id>" / "seal:<code>"), if anyone.
  Result<std::optional<std::string>> seal_name_owner(std::string_view seal_name);
  // When the seal of an approved `new` application is made, the seal takes the
  // application's claim, so the name stays taken for the seal's lifetime.
  Status transfer_name_to_seal(std::string_view application_id, std::string_view seal_code);
  // Frees a name held by a seal (e.g. if policy lets a destroyed seal's name be reused).
  Status release_name(std::string_view seal_name, std::string_view seal_code);

 private:
  // Loads, checks version, actor and transition, and commits one action.
  Result<Application> transition(std::string_view id, std::int64_t expected_version,
                                 std::string_view actor_id, Action action, std::string_view comment,
                                 bool applicant_only, const ApplicationForm* new_form);
  Status run_effect(Application& app);

  ApplicationStore store_;
  Effects* effects_;
};

}  // namespace seald::workflow
