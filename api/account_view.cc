#include "api/account_view.h"

namespace seald::api {

std::string mask_id_number(std::string_view id_number) {
  if (id_number.size() < 10) {
    return std::string(id_number.size(), '*');
  }
  return std::string(id_number.substr(0, 6)) + std::string(id_number.size() - 10, '*') +
         std::string(id_number.substr(id_number.size() - 4));
}

boost::json::object user_json(const identity::User& user) {
  boost::json::object out;
  out["id"] = user.id;
  out["name"] = user.name;
  out["mobile"] = user.mobile;
  out["id_number"] = mask_id_number(user.id_number);
  out["login_name"] = user.login_name;
  out["version"] = user.version;
  out["created_ms"] = user.created_ms;
  out["updated_ms"] = user.updated_ms;
  return out;
}

boost::json::array grants_json(const std::vector<authz::Grant>& grants) {
  boost::json::array out;
  for (const auto& grant : grants) {
    out.push_back(boost::json::object{{"role", authz::to_string(grant.role)},
                                      {"org_id", grant.org_id},
                                      {"region", grant.region}});
  }
  return out;
}

}  // namespace seald::api
