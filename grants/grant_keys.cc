#include "grants/grant_keys.h"

#include <algorithm>

namespace seald::grants::detail {
namespace {

constexpr std::size_t kMaxAppIdBytes = 64;

}  // namespace

std::string seal_record_key(std::string_view code) {
  return "seald:seals:seal:" + std::string(code);
}
std::string app_grants_key(std::string_view app_id) {
  return "seald:grants:app:" + std::string(app_id);
}
std::string seal_grants_key(std::string_view code) {
  return "seald:grants:seal:" + std::string(code);
}
std::string operation_key(std::string_view id) {
  return "seald:grants:operation:" + std::string(id);
}

bool is_seal_code(std::string_view code) {
  return code.size() == 16 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_operation_id(std::string_view id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Status check_app_id(std::string_view id) {
  bool control = std::any_of(id.begin(), id.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
  if (id.empty() || id.size() > kMaxAppIdBytes || control) {
    return make_error("app_id_invalid", "an app id is 1 to 64 bytes without control characters");
  }
  return {};
}

std::vector<std::string> sorted_strings(const redisReply* r) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < r->elements; ++i) {
    out.emplace_back(r->element[i]->str, r->element[i]->len);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<std::string>> set_members(redis::Pool& pool, const std::string& key) {
  auto lease = pool.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"SMEMBERS", key});
  if (!reply) {
    return reply.error();
  }
  return sorted_strings(reply->raw());
}

}  // namespace seald::grants::detail
