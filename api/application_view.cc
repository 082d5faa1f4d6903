#include "api/application_view.h"

#include <string>
#include <string_view>

#include <boost/json/array.hpp>

namespace seald::api {
namespace {

void put_if_set(boost::json::object& out, std::string_view name, const std::string& value) {
  if (!value.empty()) {
    out[name] = value;
  }
}

}  // namespace

boost::json::object form_json(const workflow::ApplicationForm& f) {
  boost::json::object out;
  out["kind"] = f.kind;
  put_if_set(out, "org_id", f.org_id);
  put_if_set(out, "approving_org_id", f.approving_org_id);
  put_if_set(out, "form_upload_id", f.form_upload_id);
  put_if_set(out, "seal_name", f.seal_name);
  put_if_set(out, "seal_type", f.seal_type);
  put_if_set(out, "usage", f.usage);
  put_if_set(out, "validity", f.validity);
  put_if_set(out, "creation_method", f.creation_method);
  put_if_set(out, "image_upload_id", f.image_upload_id);
  put_if_set(out, "payment_mode", f.payment_mode);
  put_if_set(out, "seal_code", f.seal_code);
  put_if_set(out, "reason", f.reason);
  put_if_set(out, "new_credit_code", f.new_credit_code);
  put_if_set(out, "new_name", f.new_name);
  put_if_set(out, "new_parent_org_id", f.new_parent_org_id);
  put_if_set(out, "licence_upload_id", f.licence_upload_id);
  put_if_set(out, "region_code", f.region_code);
  return out;
}

boost::json::object application_json(const workflow::Application& a) {
  boost::json::object out;
  out["id"] = a.id;
  out["kind"] = workflow::to_string(a.kind);
  out["state"] = workflow::to_string(a.state);
  out["version"] = a.version;
  out["applicant_id"] = a.applicant_id;
  out["form"] = form_json(a.form);
  // Only `new` applications are paid for; null says "not applicable".
  if (a.payment_status.empty()) {
    out["payment_status"] = nullptr;
  } else {
    out["payment_status"] = a.payment_status;
  }
  out["review_comment"] = a.review_comment;
  // seal_admin/org_update: whether the approval's effect (role, org change)
  // has been applied yet.
  out["effect"] = workflow::to_string(a.effect);
  out["created_at_ms"] = a.created_at_ms;
  out["updated_at_ms"] = a.updated_at_ms;
  return out;
}

boost::json::object history_json(const std::vector<workflow::HistoryEntry>& history) {
  boost::json::array items;
  for (const auto& h : history) {
    boost::json::object e;
    e["actor_id"] = h.actor_id;
    e["at_ms"] = h.at_ms;
    e["action"] = workflow::to_string(h.action);
    if (h.from) {
      e["from"] = workflow::to_string(*h.from);
    } else {
      e["from"] = nullptr;
    }
    e["to"] = workflow::to_string(h.to);
    e["comment"] = h.comment;
    items.push_back(std::move(e));
  }
  return {{"items", std::move(items)}};
}

boost::json::object application_page_json(const workflow::Page& page, std::size_t offset,
                                          std::size_t limit) {
  boost::json::array items;
  for (const auto& a : page.items) {
    items.push_back(application_json(a));
  }
  return {{"items", std::move(items)}, {"total", page.total}, {"offset", offset}, {"limit", limit}};
}

}  // namespace seald::api
