#include "workflow/application.h"

#include <array>
#include <utility>

namespace seald::workflow {
namespace {

constexpr std::array<std::pair<Kind, std::string_view>, 7> kKinds{{
    {Kind::new_seal, "new"},
    {Kind::revoke, "revoke"},
    {Kind::reissue, "reissue"},
    {Kind::report_loss, "report_loss"},
    {Kind::restore, "restore"},
    {Kind::org_update, "org_update"},
    {Kind::seal_admin, "seal_admin"},
}};

constexpr std::array<std::pair<State, std::string_view>, 5> kStates{{
    {State::pending_review, "pending_review"},
    {State::pending_make, "pending_make"},
    {State::completed, "completed"},
    {State::returned, "returned"},
    {State::withdrawn, "withdrawn"},
}};

constexpr std::array<std::pair<Action, std::string_view>, 8> kActions{{
    {Action::created, "created"},
    {Action::edited, "edited"},
    {Action::returned, "returned"},
    {Action::resubmitted, "resubmitted"},
    {Action::withdrawn, "withdrawn"},
    {Action::approved, "approved"},
    {Action::completed, "completed"},
    {Action::paid, "paid"},
}};

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) {
      return name;
    }
  }
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view s) {
  for (const auto& [e, name] : table) {
    if (name == s) {
      return e;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Kind kind) {
  return name_of(kKinds, kind);
}
std::string_view to_string(State state) {
  return name_of(kStates, state);
}
std::string_view to_string(Action action) {
  return name_of(kActions, action);
}
std::optional<Kind> parse_kind(std::string_view s) {
  return value_of(kKinds, s);
}
std::optional<State> parse_state(std::string_view s) {
  return value_of(kStates, s);
}
std::optional<Action> parse_action(std::string_view s) {
  return value_of(kActions, s);
}

bool approval_completes(Kind kind) {
  return kind == Kind::seal_admin || kind == Kind::org_update;
}

std::string_view to_string(EffectStatus status) {
  switch (status) {
    case EffectStatus::none:
      return "none";
    case EffectStatus::pending:
      return "pending";
    case EffectStatus::applied:
      return "applied";
  }
  return "none";
}

}  // namespace seald::workflow
