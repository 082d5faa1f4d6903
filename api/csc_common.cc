// Errors, bodies and algorithm identifiers for the CSC API (docs/csc.md).

#include "api/csc_common.h"

#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <chrono>

#include <boost/json.hpp>

#include "api/json_body.h"
#include "core/base64.h"
#include "server/json_response.h"

namespace seald::api::csc {
namespace {

namespace json = boost::json;
using server::http::status;

struct Mapped {
  status http;
  std::string_view error;
  std::string description;
};

Mapped map(const Error& e) {
  const std::string& c = e.code;
  if (c == "token_invalid" || c == "token_expired") {
    return {status::unauthorized, "invalid_token", e.message};
  }
  if (c == "app_disabled" || c == "seal_not_granted") {
    return {status::forbidden, "access_denied", e.message};
  }
  if (c == "seal_not_found") {
    return {status::bad_request, "invalid_request", "Invalid parameter credentialID"};
  }
  if (c == "sad_invalid") {
    return {status::bad_request, "invalid_request", "Invalid SAD"};
  }
  // The seal cannot sign now; the CSC specs have no code of their own for it.
  if (c == "seal_revoked" || c == "seal_suspended" || c == "seal_expired" ||
      c == "seal_not_cloud" || c == "invalid_request" || c == "unsupported_algorithm") {
    return {status::bad_request, "invalid_request", e.message};
  }
  // CSC has no code for it either; ours, with 429 and Retry-After as on
  // /api/v1/sign, tells a client more than temporarily_unavailable would.
  if (c == "rate_limited") {
    return {status::too_many_requests, "rate_limited", e.message};
  }
  if (c == "hsm_unavailable" || c == "audit_unavailable" || c == "redis_unavailable" ||
      c == "token_issue_failed") {
    return {status::service_unavailable, "temporarily_unavailable", e.message};
  }
  // A code this table does not know is a bug; its text stays in the log.
  spdlog::error("csc: unmapped error {}: {}", e.code, e.message);
  return {status::internal_server_error, "server_error", "internal error"};
}

constexpr std::array<std::string_view, 3> kHashOids{
    "2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3"};

Error wrong_type(std::string_view field, std::string_view type) {
  return invalid_request("Invalid parameter " + std::string(field) + " (expected " +
                         std::string(type) + ")");
}

}  // namespace

server::Response error_response(const Error& error) {
  Mapped m = map(error);
  auto response = server::json_response(m.http, json::object{{"error", m.error},
                                                             {"error_description", m.description},
                                                             {"seald_error", error.code}});
  if (m.http == status::unauthorized) {
    response.set(server::http::field::www_authenticate, "Bearer error=\"invalid_token\"");
  }
  response.set(server::http::field::cache_control, "no-store");
  return response;
}

Error invalid_request(std::string description) {
  return make_error("invalid_request", std::move(description));
}

Result<json::object> parse_body(std::string_view body) {
  boost::system::error_code ec;
  auto value = json::parse(body.empty() ? std::string_view("{}") : body, ec);
  if (ec) {
    return invalid_request("The request body is not JSON");
  }
  if (!value.is_object()) {
    return invalid_request("The request body is not a JSON object");
  }
  if (auto key = duplicate_key(body)) {  // parsers disagree on which one counts
    return invalid_request("Duplicate parameter " + *key);
  }
  return std::move(value.as_object());
}

Result<std::optional<std::string>> get_string(const json::object& body, std::string_view field) {
  const auto* v = body.if_contains(field);
  if (!v || v->is_null()) {
    return std::optional<std::string>();
  }
  if (!v->is_string() || v->as_string().size() > 1024) {
    return wrong_type(field, "string");
  }
  return std::optional<std::string>(v->as_string());
}

Result<std::string> require_string(const json::object& body, std::string_view field) {
  auto v = get_string(body, field);
  if (!v) {
    return v.error();
  }
  if (!*v || (*v)->empty()) {
    return invalid_request("Missing (or invalid type) string parameter " + std::string(field));
  }
  return std::move(**v);
}

Result<std::optional<bool>> get_bool(const json::object& body, std::string_view field) {
  const auto* v = body.if_contains(field);
  if (!v || v->is_null()) {
    return std::optional<bool>();
  }
  if (!v->is_bool()) {
    return wrong_type(field, "boolean");
  }
  return std::optional<bool>(v->as_bool());
}

Result<std::optional<std::int64_t>> get_int(const json::object& body, std::string_view field) {
  const auto* v = body.if_contains(field);
  if (!v || v->is_null()) {
    return std::optional<std::int64_t>();
  }
  if (v->is_int64()) {
    return std::optional<std::int64_t>(v->as_int64());
  }
  // Some clients send numbers as strings.
  if (v->is_string()) {
    std::string_view text = v->as_string();
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
      return std::optional<std::int64_t>(n);
    }
  }
  return wrong_type(field, "integer");
}

Result<std::optional<std::vector<std::string>>> get_strings(const json::object& body,
                                                            std::string_view field) {
  const auto* v = body.if_contains(field);
  if (!v || v->is_null()) {
    return std::optional<std::vector<std::string>>();
  }
  if (!v->is_array()) {
    return wrong_type(field, "array of strings");
  }
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) {
      return wrong_type(field, "array of strings");
    }
    out.emplace_back(item.as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

std::optional<hsm::HashAlgorithm> hash_from_oid(std::string_view oid) {
  for (std::size_t i = 0; i < kHashOids.size(); ++i) {
    if (kHashOids[i] == oid) {
      return static_cast<hsm::HashAlgorithm>(i);
    }
  }
  return std::nullopt;
}

std::string_view hash_oid(hsm::HashAlgorithm hash) {
  return kHashOids[static_cast<std::size_t>(hash)];
}

std::vector<std::string> algorithms_for(hsm::KeyAlgorithm key) {
  std::vector<std::string> out;
  if (hsm::is_ec(key)) {
    out.assign(std::begin(kEcdsaOids), std::end(kEcdsaOids));
  } else {
    out.assign(std::begin(kRsaPkcs1Oids), std::end(kRsaPkcs1Oids));
    out.emplace_back(kRsaEncryptionOid);
    out.emplace_back(kRsaPssOid);
  }
  return out;
}

std::vector<std::string> all_sign_algorithms() {
  std::vector<std::string> out = algorithms_for(hsm::KeyAlgorithm::ec_p256);
  auto rsa = algorithms_for(hsm::KeyAlgorithm::rsa_2048);
  out.insert(out.end(), rsa.begin(), rsa.end());
  return out;
}

Result<std::vector<std::vector<std::uint8_t>>> decode_hashes(const std::vector<std::string>& b64,
                                                             hsm::HashAlgorithm hash,
                                                             std::size_t max_hashes) {
  if (b64.empty() || b64.size() > max_hashes) {
    return invalid_request("Between 1 and " + std::to_string(max_hashes) +
                           " hashes can be signed at once");
  }
  std::vector<std::vector<std::uint8_t>> out;
  for (std::size_t i = 0; i < b64.size(); ++i) {
    auto bytes = base64_decode(b64[i]);
    if (!bytes) {
      return invalid_request("Invalid Base64 hash string parameter (#" + std::to_string(i + 1) +
                             ")");
    }
    if (bytes->size() != hsm::hash_length(hash)) {
      return invalid_request("Hash #" + std::to_string(i + 1) + " is " +
                             std::to_string(bytes->size()) + " bytes, the hash algorithm makes " +
                             std::to_string(hsm::hash_length(hash)));
    }
    out.push_back(std::move(*bytes));
  }
  return out;
}

Result<CertificateChoice> parse_certificate_choice(std::optional<std::string> text) {
  if (!text || *text == "single") {
    return CertificateChoice::single;
  }
  if (*text == "none") {
    return CertificateChoice::none;
  }
  if (*text == "chain") {
    return CertificateChoice::chain;
  }
  return invalid_request("Invalid parameter certificates (none, single or chain)");
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

seals::SealStatus current_status(const signing::SealState& seal) {
  bool lapsed = seal.not_after_ms != 0 && now_ms() >= seal.not_after_ms;
  if (lapsed &&
      (seal.status == seals::SealStatus::active || seal.status == seals::SealStatus::suspended)) {
    return seals::SealStatus::expired;
  }
  return seal.status;
}

}  // namespace seald::api::csc
