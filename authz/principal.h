#pragma once

// Who is asking: a signed-in user and every grant they hold, resolved once
// per request. Decisions (authz/decisions.h) are pure functions of it.

#include <string>
#include <vector>

#include "authz/role.h"

namespace seald::authz {

struct Principal {
  std::string user_id;
  std::string name;
  std::vector<Grant> grants;
};

}  // namespace seald::authz
