#include "workflow/workflow.h"

#include <chrono>

#include "workflow/transitions.h"
#include "workflow/validation.h"

namespace seald::workflow {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view verb(Action action) {
  switch (action) {
    case Action::created:
      return "create";
    case Action::edited:
      return "edit";
    case Action::returned:
      return "return";
    case Action::resubmitted:
      return "resubmit";
    case Action::withdrawn:
      return "withdraw";
    case Action::approved:
      return "approve";
    case Action::completed:
      return "complete";
    case Action::paid:
      return "mark as paid";
  }
  return "change";
}

Error invalid_transition(Action action, const Application& app) {
  return make_error("invalid_transition", "cannot " + std::string(verb(action)) + " a " +
                                              std::string(to_string(app.kind)) +
                                              " application in state " +
                                              std::string(to_string(app.state)));
}

}  // namespace

Workflow::Workflow(redis::Pool& pool, Effects* effects) : store_(pool), effects_(effects) {}

Result<Application> Workflow::create(std::string_view applicant_id, const ApplicationForm& form) {
  if (auto s = validate_id("applicant_id", applicant_id); !s) {
    return s.error();
  }
  if (auto s = validate_form(form); !s) {
    return s.error();
  }
  Application app;
  app.kind = *parse_kind(form.kind);
  app.state = State::pending_review;
  app.version = 1;
  app.applicant_id = std::string(applicant_id);
  app.form = form;
  if (app.kind == Kind::new_seal) {
    app.payment_status = "unpaid";
  }
  app.created_at_ms = app.updated_at_ms = now_ms();
  HistoryEntry entry{app.applicant_id, app.created_at_ms, Action::created,
                     std::nullopt,     app.state,         ""};
  return store_.insert(std::move(app), entry);
}

Result<Application> Workflow::get(std::string_view id) {
  if (auto s = validate_id("application_id", id); !s) {
    return s.error();
  }
  return store_.load(id);
}

Result<std::vector<HistoryEntry>> Workflow::history(std::string_view id) {
  if (auto s = validate_id("application_id", id); !s) {
    return s.error();
  }
  return store_.history(id);
}

Result<Application> Workflow::transition(std::string_view id, std::int64_t expected_version,
                                         std::string_view actor_id, Action action,
                                         std::string_view comment, bool applicant_only,
                                         const ApplicationForm* new_form) {
  if (auto s = validate_id("application_id", id); !s) {
    return s.error();
  }
  if (auto s = validate_id("actor_id", actor_id); !s) {
    return s.error();
  }
  if (auto s = validate_text("comment", comment, kMaxCommentChars, action == Action::returned);
      !s) {
    return s.error();
  }
  if (new_form != nullptr) {
    if (auto s = validate_form(*new_form); !s) {
      return s.error();
    }
  }
  auto before = store_.load(id);
  if (!before) {
    return before.error();
  }
  if (before->version != expected_version) {
    return make_error("application_version_conflict",
                      "application " + before->id + " is at version " +
                          std::to_string(before->version) + ", not " +
                          std::to_string(expected_version) + "; reload it");
  }
  if (applicant_only && before->applicant_id != actor_id) {
    return make_error("not_applicant", "only the applicant may " + std::string(verb(action)) +
                                           " application " + before->id);
  }
  auto next = next_state(action, before->kind, before->state);
  if (!next) {
    return invalid_transition(action, *before);
  }
  Application after = *before;
  after.state = *next;
  after.version = before->version + 1;
  after.updated_at_ms = now_ms();
  switch (action) {
    case Action::edited:
      if (new_form->kind != before->form.kind) {
        return make_error("field_invalid", "kind: an application cannot change its kind");
      }
      after.form = *new_form;
      break;
    case Action::returned:
      after.review_comment = std::string(comment);
      break;
    case Action::approved:
      if (before->kind == Kind::new_seal && before->form.payment_mode == "self" &&
          before->payment_status != "paid") {
        return make_error("payment_required",
                          "application " + before->id + " is self-paid and not paid yet");
      }
      after.review_comment = std::string(comment);
      if (approval_completes(before->kind)) {
        after.effect = EffectStatus::pending;
      }
      break;
    case Action::paid:
      if (before->payment_status == "paid") {
        return make_error("already_paid", "application " + before->id + " is already paid");
      }
      after.payment_status = "paid";
      break;
    default:
      break;
  }
  HistoryEntry entry{std::string(actor_id), after.updated_at_ms, action,
                     before->state,         after.state,         std::string(comment)};
  return store_.update(*before, std::move(after), entry);
}

Result<Application> Workflow::edit(std::string_view id, std::int64_t expected_version,
                                   std::string_view actor_id, const ApplicationForm& form) {
  return transition(id, expected_version, actor_id, Action::edited, {}, true, &form);
}

Result<Application> Workflow::resubmit(std::string_view id, std::int64_t expected_version,
                                       std::string_view actor_id, std::string_view comment) {
  return transition(id, expected_version, actor_id, Action::resubmitted, comment, true, nullptr);
}

Result<Application> Workflow::withdraw(std::string_view id, std::int64_t expected_version,
                                       std::string_view actor_id, std::string_view comment) {
  return transition(id, expected_version, actor_id, Action::withdrawn, comment, true, nullptr);
}

Result<Application> Workflow::return_to_applicant(std::string_view id,
                                                  std::int64_t expected_version,
                                                  std::string_view reviewer_id,
                                                  std::string_view comment) {
  return transition(id, expected_version, reviewer_id, Action::returned, comment, false, nullptr);
}

Result<Application> Workflow::complete(std::string_view id, std::int64_t expected_version,
                                       std::string_view operator_id, std::string_view comment) {
  return transition(id, expected_version, operator_id, Action::completed, comment, false, nullptr);
}

Result<Application> Workflow::mark_paid(std::string_view id, std::int64_t expected_version,
                                        std::string_view actor_id) {
  return transition(id, expected_version, actor_id, Action::paid, {}, false, nullptr);
}

Result<Approval> Workflow::approve(std::string_view id, std::int64_t expected_version,
                                   std::string_view reviewer_id, std::string_view comment) {
  auto app =
      transition(id, expected_version, reviewer_id, Action::approved, comment, false, nullptr);
  if (!app) {
    return app.error();
  }
  bool effect_required = approval_completes(app->kind);
  Approval approval{std::move(*app), effect_required, std::nullopt};
  if (approval.effect_required) {
    // The approval is already committed: an effect failure is reported, not
    // rolled back, and apply_effects() retries it.
    if (auto s = run_effect(approval.application); !s) {
      approval.effect_error = s.error();
    }
  }
  return approval;
}

Status Workflow::run_effect(Application& app) {
  if (effects_ == nullptr) {
    return make_error("effects_not_configured",
                      "no effect handler configured; application " + app.id + " stays pending");
  }
  if (auto s = effects_->apply(app); !s) {
    return s;
  }
  std::int64_t now = now_ms();
  auto marked = store_.mark_effect_applied(app, now);
  if (!marked) {
    return marked.error();
  }
  if (*marked) {
    // Mirrors what the script did, so the caller holds the current version.
    app.effect = EffectStatus::applied;
    app.version += 1;
    app.updated_at_ms = now;
  }
  return {};
}

Status Workflow::apply_effects(std::string_view id) {
  auto app = get(id);
  if (!app) {
    return app.error();
  }
  if (!approval_completes(app->kind)) {
    return make_error("effect_not_applicable",
                      std::string(to_string(app->kind)) + " applications have no effect");
  }
  if (app->state != State::completed) {
    return make_error("invalid_transition", "application " + app->id + " is in state " +
                                                std::string(to_string(app->state)) +
                                                ", not approved");
  }
  if (app->effect == EffectStatus::applied) {
    return {};
  }
  return run_effect(*app);
}

Result<Page> Workflow::list_by_applicant(std::string_view applicant_id,
                                         const ApplicantFilter& filter, std::size_t offset,
                                         std::size_t limit) {
  if (auto s = validate_id("applicant_id", applicant_id); !s) {
    return s.error();
  }
  return store_.list(ApplicationStore::applicant_index(applicant_id, filter.kind, filter.state),
                     offset, limit);
}

Result<Page> Workflow::review_queue(std::string_view approving_org_id, std::size_t offset,
                                    std::size_t limit) {
  if (auto s = validate_id("approving_org_id", approving_org_id); !s) {
    return s.error();
  }
  return store_.list(ApplicationStore::review_index(approving_org_id), offset, limit);
}

Result<Page> Workflow::list_by_org(std::string_view org_id, std::size_t offset, std::size_t limit) {
  if (auto s = validate_id("org_id", org_id); !s) {
    return s.error();
  }
  return store_.list(ApplicationStore::org_index(org_id), offset, limit);
}

Result<Page> Workflow::list_by_state(State state, std::size_t offset, std::size_t limit) {
  return store_.list(ApplicationStore::state_index(state), offset, limit);
}

Result<Page> Workflow::list_pending_effects(std::size_t offset, std::size_t limit) {
  return store_.list(ApplicationStore::effects_pending_index(), offset, limit);
}

Result<std::optional<std::string>> Workflow::seal_name_owner(std::string_view seal_name) {
  if (auto s = validate_text("seal_name", seal_name, kMaxSealNameChars, true); !s) {
    return s.error();
  }
  return store_.name_owner(seal_name);
}

Status Workflow::transfer_name_to_seal(std::string_view application_id,
                                       std::string_view seal_code) {
  if (auto s = validate_id("seal_code", seal_code); !s) {
    return s;
  }
  auto app = get(application_id);
  if (!app) {
    return app.error();
  }
  if (app->kind != Kind::new_seal ||
      (app->state != State::pending_make && app->state != State::completed)) {
    return make_error("invalid_transition", "application " + app->id + " (" +
                                                std::string(to_string(app->kind)) + ", " +
                                                std::string(to_string(app->state)) +
                                                ") has no approved seal name to hand over");
  }
  std::string seal = ApplicationStore::seal_owner(seal_code);
  auto s =
      store_.move_claim(app->form.seal_name, ApplicationStore::application_owner(app->id), seal);
  if (!s) {
    // Already handed to this very seal: a retry, not an error.
    auto owner = store_.name_owner(app->form.seal_name);
    if (owner && *owner == seal) {
      return {};
    }
  }
  return s;
}

Status Workflow::release_name(std::string_view seal_name, std::string_view seal_code) {
  if (auto s = validate_text("seal_name", seal_name, kMaxSealNameChars, true); !s) {
    return s;
  }
  if (auto s = validate_id("seal_code", seal_code); !s) {
    return s;
  }
  return store_.move_claim(seal_name, ApplicationStore::seal_owner(seal_code), "");
}

}  // namespace seald::workflow
