#include "identity/user.h"

#include <charconv>
#include <string_view>

namespace seald::identity {
namespace {

std::int64_t to_int(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

User user_from_fields(std::string id, const redisReply* fields) {
  User u;
  u.id = std::move(id);
  if (fields == nullptr || fields->type != REDIS_REPLY_ARRAY) {
    return u;
  }
  for (std::size_t i = 0; i + 1 < fields->elements; i += 2) {
    std::string_view k(fields->element[i]->str, fields->element[i]->len);
    std::string_view v(fields->element[i + 1]->str, fields->element[i + 1]->len);
    if (k == "name") {
      u.name = v;
    } else if (k == "mobile") {
      u.mobile = v;
    } else if (k == "id_number") {
      u.id_number = v;
    } else if (k == "login_name") {
      u.login_name = v;
    } else if (k == "version") {
      u.version = to_int(v);
    } else if (k == "created_ms") {
      u.created_ms = to_int(v);
    } else if (k == "updated_ms") {
      u.updated_ms = to_int(v);
    }
  }
  return u;
}

}  // namespace seald::identity
