#include "authz/authenticator.h"

namespace seald::authz {

Result<Principal> Authenticator::principal_for(std::string_view session_token) {
  auto user = sessions_.resolve(session_token);
  if (!user) {
    return user.error();
  }
  auto grants = roles_.grants_of(user->id);
  if (!grants) {
    return grants.error();
  }
  return Principal{user->id, user->name, std::move(*grants)};
}

}  // namespace seald::authz
