#include "workflow/record_codec.h"

#include <array>
#include <charconv>

#include <boost/json.hpp>

namespace seald::workflow {
namespace {

using FormField = std::pair<std::string_view, std::string ApplicationForm::*>;

// "kind" is stored once, as the record's own field.
constexpr std::array<FormField, 17> kFormFields{{
    {"org_id", &ApplicationForm::org_id},
    {"approving_org_id", &ApplicationForm::approving_org_id},
    {"form_upload_id", &ApplicationForm::form_upload_id},
    {"seal_name", &ApplicationForm::seal_name},
    {"seal_type", &ApplicationForm::seal_type},
    {"usage", &ApplicationForm::usage},
    {"validity", &ApplicationForm::validity},
    {"creation_method", &ApplicationForm::creation_method},
    {"image_upload_id", &ApplicationForm::image_upload_id},
    {"payment_mode", &ApplicationForm::payment_mode},
    {"seal_code", &ApplicationForm::seal_code},
    {"reason", &ApplicationForm::reason},
    {"new_credit_code", &ApplicationForm::new_credit_code},
    {"new_name", &ApplicationForm::new_name},
    {"new_parent_org_id", &ApplicationForm::new_parent_org_id},
    {"licence_upload_id", &ApplicationForm::licence_upload_id},
    {"region_code", &ApplicationForm::region_code},
}};

Error corrupt(std::string_view what) {
  return make_error("application_corrupt",
                    "stored application is unreadable: " + std::string(what));
}

bool to_int(std::string_view s, std::int64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

const std::string* find(const std::map<std::string, std::string>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? nullptr : &it->second;
}

}  // namespace

FieldList encode_application(const Application& app, std::string_view name_key) {
  FieldList out{
      {"version", std::to_string(app.version)},
      {"kind", std::string(to_string(app.kind))},
      {"state", std::string(to_string(app.state))},
      {"applicant_id", app.applicant_id},
      {"effect", std::string(to_string(app.effect))},
      {"created_at", std::to_string(app.created_at_ms)},
      {"updated_at", std::to_string(app.updated_at_ms)},
  };
  if (!app.payment_status.empty()) {
    out.emplace_back("payment_status", app.payment_status);
  }
  if (!app.review_comment.empty()) {
    out.emplace_back("review_comment", app.review_comment);
  }
  if (!name_key.empty()) {
    out.emplace_back("name_key", std::string(name_key));
  }
  for (const auto& [name, member] : kFormFields) {
    if (!(app.form.*member).empty()) {
      out.emplace_back(std::string(name), app.form.*member);
    }
  }
  return out;
}

Result<Application> decode_application(const std::map<std::string, std::string>& fields) {
  Application app;
  const std::string* id = find(fields, "id");
  const std::string* version = find(fields, "version");
  const std::string* kind = find(fields, "kind");
  const std::string* state = find(fields, "state");
  const std::string* applicant = find(fields, "applicant_id");
  const std::string* created = find(fields, "created_at");
  const std::string* updated = find(fields, "updated_at");
  if (!id || !version || !kind || !state || !applicant || !created || !updated) {
    return corrupt("a required field is missing");
  }
  app.id = *id;
  auto k = parse_kind(*kind);
  auto s = parse_state(*state);
  if (!k || !s || !to_int(*version, app.version) || !to_int(*created, app.created_at_ms) ||
      !to_int(*updated, app.updated_at_ms)) {
    return corrupt("bad kind, state, version or time in application " + *id);
  }
  app.kind = *k;
  app.state = *s;
  app.applicant_id = *applicant;
  app.form.kind = std::string(to_string(*k));
  if (const auto* v = find(fields, "payment_status")) {
    app.payment_status = *v;
  }
  if (const auto* v = find(fields, "review_comment")) {
    app.review_comment = *v;
  }
  if (const auto* v = find(fields, "effect")) {
    app.effect = *v == "pending"   ? EffectStatus::pending
                 : *v == "applied" ? EffectStatus::applied
                                   : EffectStatus::none;
  }
  for (const auto& [name, member] : kFormFields) {
    if (const auto* v = find(fields, std::string(name))) {
      app.form.*member = *v;
    }
  }
  return app;
}

std::string encode_history(const HistoryEntry& entry) {
  boost::json::object o;
  o["actor"] = entry.actor_id;
  o["at"] = entry.at_ms;
  o["action"] = to_string(entry.action);
  o["from"] = entry.from ? to_string(*entry.from) : "";
  o["to"] = to_string(entry.to);
  o["comment"] = entry.comment;
  return boost::json::serialize(o);
}

Result<HistoryEntry> decode_history(std::string_view json) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) {
    return corrupt("history entry is not a JSON object");
  }
  const auto& o = value.as_object();
  const auto* actor = o.if_contains("actor");
  const auto* at = o.if_contains("at");
  const auto* action = o.if_contains("action");
  const auto* from = o.if_contains("from");
  const auto* to = o.if_contains("to");
  const auto* comment = o.if_contains("comment");
  if (!actor || !actor->is_string() || !at || !at->is_int64() || !action || !action->is_string() ||
      !from || !from->is_string() || !to || !to->is_string() || !comment || !comment->is_string()) {
    return corrupt("history entry lacks a field");
  }
  HistoryEntry e;
  e.actor_id = std::string(actor->as_string());
  e.at_ms = at->as_int64();
  e.comment = std::string(comment->as_string());
  auto a = parse_action(action->as_string());
  auto t = parse_state(to->as_string());
  if (!a || !t) {
    return corrupt("history entry has an unknown action or state");
  }
  e.action = *a;
  e.to = *t;
  if (!from->as_string().empty()) {
    auto f = parse_state(from->as_string());
    if (!f) {
      return corrupt("history entry has an unknown state");
    }
    e.from = *f;
  }
  return e;
}

}  // namespace seald::workflow
