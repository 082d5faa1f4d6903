#pragma once

// The user store: registration with a verification code, profile reads and
// edits under optimistic concurrency, and the system accounts authz creates.
// Mobile numbers and ID numbers are unique across users; each is claimed by
// the same Lua script that writes the user, so two racing registrations with
// one number cannot both win.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/secret.h"
#include "identity/password_hasher.h"
#include "identity/user.h"
#include "identity/verification_codes.h"
#include "redis/pool.h"

namespace seald::identity {

// What login needs and nothing else may see.
struct StoredCredentials {
  std::string user_id;
  std::string password_hash;
};

class Users {
 public:
  static constexpr std::size_t kMaxPageSize = 100;

  Users(redis::Pool& pool, const VerificationCodes& codes, const PasswordHasher& hasher)
      : pool_(pool), codes_(codes), hasher_(hasher) {}

  // Validates every field, checks the register code and creates the user.
  // Errors: name_invalid, id_number_invalid, mobile_invalid, password_weak,
  // code_invalid, code_attempts_exceeded, mobile_taken, id_number_taken.
  Result<User> register_user(const Registration& registration);

  // user_not_found if there is no such user.
  Result<User> get(std::string_view user_id);

  // Newest first. limit is capped at kMaxPageSize.
  Result<UserPage> list(std::size_t offset, std::size_t limit);

  // Errors: name_invalid, user_not_found, user_version_conflict.
  Result<User> update_name(std::string_view user_id, std::int64_t expected_version,
                           std::string_view name);

  // The code is the one sent to new_mobile for CodePurpose::change_mobile.
  // Errors: mobile_invalid, user_not_found, user_version_conflict,
  // mobile_unchanged, code_invalid, code_attempts_exceeded, mobile_taken.
  Result<User> change_mobile(std::string_view user_id, std::int64_t expected_version,
                             std::string_view new_mobile, std::string_view code);

  // A user without mobile or ID number who logs in with a login name
  // ([a-z][a-z0-9-]{2,31}). Creates it, or, if it exists, sets its password:
  // that is how a lost bootstrap password is replaced. Returns the user and
  // whether it was created. Errors: login_name_invalid, name_invalid.
  Result<std::pair<User, bool>> upsert_system_account(std::string_view login_name,
                                                      std::string_view display_name,
                                                      const Secret& password);

  // Finds the stored credentials for a mobile, ID number or login name;
  // nullopt when nobody uses it. For Sessions only.
  Result<std::optional<StoredCredentials>> find_credentials(std::string_view login);

  // The index key of an ID number: a hash, because the number is personal data.
  static std::string id_number_digest(std::string_view normalized_id_number);

 private:
  redis::Pool& pool_;
  const VerificationCodes& codes_;
  const PasswordHasher& hasher_;
};

}  // namespace seald::identity
