#pragma once

// The vocabulary of applications (申请): kinds, states, the form an applicant
// fills in, the stored record and its history. Enumerated form fields are kept
// as their wire strings so the HTTP layer can pass a request body through and
// get every field error (field_missing / field_invalid) from validation alone.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seald::workflow {

enum class Kind { new_seal, revoke, reissue, report_loss, restore, org_update, seal_admin };
enum class State { pending_review, pending_make, completed, returned, withdrawn };
enum class Action { created, edited, returned, resubmitted, withdrawn, approved, completed, paid };

// Wire names: "new", "revoke", ...; "pending_review", ...; "created", ...
std::string_view to_string(Kind kind);
std::string_view to_string(State state);
std::string_view to_string(Action action);
std::optional<Kind> parse_kind(std::string_view s);
std::optional<State> parse_state(std::string_view s);
std::optional<Action> parse_action(std::string_view s);

// Approval of these kinds completes the application at once (no making step)
// and has an effect in another component (a role, an org change).
bool approval_completes(Kind kind);

// What the applicant submits. Empty means "not given". Which fields a kind
// requires, allows or forbids is decided by validate_form (validation.h).
struct ApplicationForm {
  std::string kind;              // "new", "revoke", "reissue", "report_loss", "restore",
                                 // "org_update", "seal_admin"
  std::string org_id;            // the org the application is about (seal_admin: scope org)
  std::string approving_org_id;  // 上级审批机构: its reviewers decide
  std::string form_upload_id;    // optional: the signed, stamped, scanned form

  // new
  std::string seal_name;
  std::string seal_type;        // legal_name, finance, invoice, contract, business, personal_name
  std::string usage;            // ukey, cloud
  std::string validity;         // 1y, 2y
  std::string creation_method;  // personal_name only: handdrawn, upload
  std::string image_upload_id;  // personal_name only: the drawn or uploaded picture
  std::string payment_mode;     // self, unified

  // revoke, reissue, report_loss, restore
  std::string seal_code;
  std::string reason;

  // org_update: any non-empty subset of the three, plus the licence
  std::string new_credit_code;  // 统一社会信用代码, 18 chars with check digit
  std::string new_name;
  std::string new_parent_org_id;
  std::string licence_upload_id;

  // seal_admin: scope = region_code + org_id
  std::string region_code;

  friend bool operator==(const ApplicationForm&, const ApplicationForm&) = default;
};

enum class EffectStatus { none, pending, applied };
std::string_view to_string(EffectStatus status);

struct Application {
  std::string id;
  Kind kind = Kind::new_seal;
  State state = State::pending_review;
  std::int64_t version = 0;
  std::string applicant_id;
  ApplicationForm form;
  std::string payment_status;                // new: "unpaid" or "paid"; other kinds: empty
  std::string review_comment;                // the reviewer's latest comment (return or approval)
  EffectStatus effect = EffectStatus::none;  // seal_admin, org_update: after approval
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

struct HistoryEntry {
  std::string actor_id;
  std::int64_t at_ms = 0;
  Action action = Action::created;
  std::optional<State> from;  // none for "created"
  State to = State::pending_review;
  std::string comment;
};

struct Page {
  std::vector<Application> items;  // newest first
  std::int64_t total = 0;          // all matching, not just this page
};

inline constexpr std::size_t kMaxPageSize = 100;

}  // namespace seald::workflow
