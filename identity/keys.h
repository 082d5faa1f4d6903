#pragma once

// Every Redis key identity uses (docs/redis/identity.md describes each).
// Exposed so that components building on identity (authz) can check that a
// user exists inside their own atomic scripts.

#include <string>
#include <string_view>

namespace seald::identity::keys {

inline constexpr std::string_view kUserPrefix = "seald:identity:user:";
inline constexpr std::string_view kNextUserId = "seald:identity:next_user_id";
inline constexpr std::string_view kUsers = "seald:identity:users";
inline constexpr std::string_view kMobileIndex = "seald:identity:mobile_index";
inline constexpr std::string_view kIdNumberIndex = "seald:identity:id_number_index";
inline constexpr std::string_view kLoginNameIndex = "seald:identity:login_name_index";

inline std::string user(std::string_view id) {
  return std::string(kUserPrefix) + std::string(id);
}
inline std::string session(std::string_view token_hash) {
  return "seald:identity:session:" + std::string(token_hash);
}
inline std::string code(std::string_view purpose, std::string_view mobile) {
  return "seald:identity:code:" + std::string(purpose) + ":" + std::string(mobile);
}
inline std::string code_throttle(std::string_view purpose, std::string_view mobile) {
  return "seald:identity:code_throttle:" + std::string(purpose) + ":" + std::string(mobile);
}
inline std::string login_failures(std::string_view subject) {
  return "seald:identity:login_failures:" + std::string(subject);
}
inline std::string login_lock(std::string_view subject) {
  return "seald:identity:login_lock:" + std::string(subject);
}

}  // namespace seald::identity::keys
