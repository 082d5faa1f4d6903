#include "api/org_view.h"

namespace seald::api {

boost::json::object org_json(const orgs::Organisation& org) {
  boost::json::object out;
  out["id"] = org.id;
  out["name"] = org.name;
  out["credit_code"] = org.credit_code;
  out["region"] = org.region;
  if (org.is_root()) {
    out["parent_id"] = nullptr;
  } else {
    out["parent_id"] = org.parent_id;
  }
  out["version"] = org.version;
  out["created_ms"] = org.created_ms;
  out["updated_ms"] = org.updated_ms;
  return out;
}

}  // namespace seald::api
