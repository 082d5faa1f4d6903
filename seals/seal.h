#pragma once

// A seal (印章) as seald keeps it: its public code, what the application
// asked for, where its key lives (cloud seals only), its certificate and the
// ones it replaced, its validity and state, and which picture it shows.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seald::seals {

enum class SealStatus { active, suspended, revoked, expired };

std::string_view to_string(SealStatus status);
std::optional<SealStatus> parse_status(std::string_view text);

// Chinese name of a seal type ("contract" -> "合同专用章"); empty when unknown.
std::string_view type_display_name(std::string_view seal_type);

struct Certificate {
  std::string serial_hex;
  std::vector<std::uint8_t> der;
};

struct Seal {
  std::string code;  // region (6) + year (4) + sequence (6): see docs/redis/seals.md
  std::string name;  // unique system-wide (the workflow's name claim)
  std::string org_id;
  std::string type;      // legal_name, finance, invoice, contract, business, personal_name
  std::string usage;     // cloud, ukey
  std::string validity;  // 1y, 2y
  SealStatus status = SealStatus::active;
  std::string application_id;
  std::string applicant_id;
  std::string key_id;                      // cloud: the CKA_ID on the token (= code); ukey: empty
  std::string key_algorithm;               // cloud: "ec-p256", ...; ukey: empty
  std::optional<Certificate> certificate;  // cloud only
  std::vector<Certificate> previous_certificates;  // oldest first (reissue)
  std::int64_t not_before_ms = 0;
  std::int64_t not_after_ms = 0;
  std::int64_t enabled_ms = 0;
  // "upload:<id>" (a PNG the applicant gave) or "svg" (rendered by seald).
  std::string image;
  std::int64_t version = 0;
  // The last lifecycle change (seals/lifecycle.h): when, by whom, why, and
  // through which application (empty when applied directly).
  std::int64_t changed_ms = 0;
  std::string changed_by;
  std::string change_reason;
  std::string change_application_id;
  // Follow-up steps of a change that have not been done yet (the cleanup
  // marker): step -> detail, e.g. "destroy_key:<key id>" -> "".
  std::map<std::string, std::string> cleanup;
};

// The status a reader should see: an active or suspended seal whose
// not_after has passed is expired, whether or not maintenance has
// recorded that yet.
SealStatus effective_status(const Seal& seal, std::int64_t now_ms);

// PEM text of a DER certificate.
std::string certificate_pem(const std::vector<std::uint8_t>& der);

// A seal's picture, ready to serve.
struct SealImage {
  std::string content_type;  // "image/svg+xml" or "image/png"
  std::string bytes;
};

}  // namespace seald::seals
