#pragma once

// A person known to seald, as the rest of the system sees them. The password
// hash stays inside identity; it is not a field here.

#include <cstdint>
#include <string>
#include <vector>

#include <hiredis/hiredis.h>

#include "core/secret.h"

namespace seald::identity {

struct User {
  std::string id;          // opaque, "u" + a number
  std::string name;        // display name
  std::string mobile;      // empty for system accounts
  std::string id_number;   // resident ID number; empty for system accounts
  std::string login_name;  // only system accounts (e.g. "bootstrap-admin")
  std::int64_t version = 0;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

struct Registration {
  std::string name;
  std::string id_number;
  std::string mobile;
  Secret password;
  std::string code;  // the verification code sent for CodePurpose::register_account
};

struct UserPage {
  std::vector<User> items;
  std::uint64_t total = 0;
};

// Builds a User from an HGETALL-style flat array of field/value pairs.
User user_from_fields(std::string id, const redisReply* fields);

}  // namespace seald::identity
