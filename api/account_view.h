#pragma once

// The JSON a client sees of a user and of their roles. The ID number is
// personal data: it leaves seald only masked. The password hash is not part
// of identity::User, so it cannot leak through here.

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "authz/role.h"
#include "identity/user.h"

namespace seald::api {

// "110101********123X": the region prefix and the last four characters.
std::string mask_id_number(std::string_view id_number);

// {id, name, mobile, id_number (masked), login_name, version, created_ms, updated_ms}
boost::json::object user_json(const identity::User& user);

// [{role, org_id, region}]
boost::json::array grants_json(const std::vector<authz::Grant>& grants);

}  // namespace seald::api
