#include "workflow/transitions.h"

namespace seald::workflow {

std::optional<State> next_state(Action action, Kind kind, State from) {
  switch (action) {
    case Action::created:
      return std::nullopt;
    case Action::edited:
      return from == State::returned ? std::optional(State::returned) : std::nullopt;
    case Action::resubmitted:
      return from == State::returned ? std::optional(State::pending_review) : std::nullopt;
    case Action::withdrawn:
      if (from == State::pending_review || from == State::returned) {
        return State::withdrawn;
      }
      return std::nullopt;
    case Action::returned:
      return from == State::pending_review ? std::optional(State::returned) : std::nullopt;
    case Action::approved:
      if (from != State::pending_review) {
        return std::nullopt;
      }
      return approval_completes(kind) ? State::completed : State::pending_make;
    case Action::completed:
      return from == State::pending_make ? std::optional(State::completed) : std::nullopt;
    case Action::paid:
      if (kind == Kind::new_seal && (from == State::pending_review || from == State::returned ||
                                     from == State::pending_make)) {
        return from;
      }
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace seald::workflow
