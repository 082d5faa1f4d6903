#include "api/error_status.h"

#include <spdlog/spdlog.h>

#include <string_view>
#include <unordered_map>

#include "server/json_response.h"

namespace seald::api {
namespace {

using server::http::status;

// Exact codes first; then families by suffix.
const std::unordered_map<std::string_view, status>& exact() {
  static const std::unordered_map<std::string_view, status> table{
      {"invalid_json", status::bad_request},
      {"body_not_object", status::bad_request},
      {"duplicate_field", status::bad_request},
      {"unknown_field", status::unprocessable_entity},
      {"field_missing", status::unprocessable_entity},
      {"field_invalid", status::unprocessable_entity},
      {"paging_invalid", status::bad_request},
      {"unauthenticated", status::unauthorized},
      {"session_invalid", status::unauthorized},
      {"invalid_credentials", status::unauthorized},
      {"forbidden", status::forbidden},
      {"account_locked", status::too_many_requests},
      {"invalid_transition", status::conflict},
      {"upload_too_large", status::payload_too_large},
      {"upload_type_unsupported", status::unsupported_media_type},
      {"redis_unavailable", status::service_unavailable},
      {"audit_unavailable", status::service_unavailable},
      {"hsm_unavailable", status::service_unavailable},
      {"password_weak", status::unprocessable_entity},
      {"mobile_unchanged", status::unprocessable_entity},
      {"code_throttled", status::too_many_requests},
      {"code_attempts_exceeded", status::too_many_requests},
      {"code_send_failed", status::service_unavailable},
      {"last_system_admin", status::conflict},
      {"not_applicant", status::forbidden},
      {"already_paid", status::conflict},
      {"payment_required", status::conflict},
      {"effects_not_configured", status::service_unavailable},
      {"effect_not_applicable", status::conflict},
      {"org_change_empty", status::unprocessable_entity},
      {"org_cycle", status::unprocessable_entity},
      {"upload_empty", status::unprocessable_entity},
      {"upload_type_not_accepted", status::unsupported_media_type},
      {"form_text_unencodable", status::unprocessable_entity},
      {"application_not_makeable", status::conflict},
      {"seal_already_made", status::conflict},
      {"seal_code_exhausted", status::conflict},
      {"application_not_executable", status::conflict},
      {"seal_cleanup_pending", status::service_unavailable},
      {"seal_not_cloud", status::conflict},
      {"seal_not_grantable", status::conflict},
      {"seal_codes_empty", status::unprocessable_entity},
      {"too_many_seals", status::unprocessable_entity},
      {"app_read_only", status::conflict},
      {"token_invalid", status::unauthorized},
      {"app_disabled", status::forbidden},
      {"seal_not_granted", status::forbidden},
      {"seal_suspended", status::conflict},
      {"seal_revoked", status::conflict},
      {"seal_expired", status::conflict},
      {"unsupported_algorithm", status::unprocessable_entity},
      {"too_many_hashes", status::unprocessable_entity},
      {"bad_base64", status::unprocessable_entity},
      {"rate_limited", status::too_many_requests},
  };
  return table;
}

struct Suffix {
  std::string_view suffix;
  status code;
};
constexpr Suffix kSuffixes[] = {
    {"_not_found", status::not_found},
    {"_taken", status::conflict},
    {"_exists", status::conflict},
    {"_version_conflict", status::conflict},
    {"_conflict", status::conflict},
    {"_invalid", status::unprocessable_entity},
    {"_mismatch", status::unprocessable_entity},
    {"_required", status::unprocessable_entity},
    {"_too_long", status::unprocessable_entity},
    {"_forbidden", status::forbidden},
    {"_expired", status::unauthorized},
    {"_unavailable", status::service_unavailable},
};

}  // namespace

status status_for(const Error& error) {
  if (auto it = exact().find(error.code); it != exact().end()) {
    return it->second;
  }
  for (const auto& s : kSuffixes) {
    if (error.code.ends_with(s.suffix)) {
      return s.code;
    }
  }
  return status::internal_server_error;
}

server::Response error_response(const Error& error) {
  status s = status_for(error);
  if (s == status::internal_server_error) {
    spdlog::error("unmapped error {}: {}", error.code, error.message);
    return server::json_error(s, "internal_error", "internal error; see the server log");
  }
  return server::json_error(s, error.code, error.message);
}

}  // namespace seald::api
