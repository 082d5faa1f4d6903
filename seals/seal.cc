#include "seals/seal.h"

#include <algorithm>
#include <array>
#include <utility>

#include <openssl/evp.h>

namespace seald::seals {
namespace {

constexpr std::array<std::pair<SealStatus, std::string_view>, 4> kStatuses{{
    {SealStatus::active, "active"},
    {SealStatus::suspended, "suspended"},
    {SealStatus::revoked, "revoked"},
    {SealStatus::expired, "expired"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kTypeNames{{
    {"legal_name", "法定名称章"},
    {"finance", "财务专用章"},
    {"invoice", "发票专用章"},
    {"contract", "合同专用章"},
    {"business", "业务专用章"},
    {"personal_name", "名章"},
}};

}  // namespace

std::string_view to_string(SealStatus status) {
  for (const auto& [s, name] : kStatuses) {
    if (s == status) {
      return name;
    }
  }
  return "unknown";
}

std::optional<SealStatus> parse_status(std::string_view text) {
  for (const auto& [s, name] : kStatuses) {
    if (name == text) {
      return s;
    }
  }
  return std::nullopt;
}

std::string_view type_display_name(std::string_view seal_type) {
  for (const auto& [type, name] : kTypeNames) {
    if (type == seal_type) {
      return name;
    }
  }
  return {};
}

SealStatus effective_status(const Seal& seal, std::int64_t now_ms) {
  bool live = seal.status == SealStatus::active || seal.status == SealStatus::suspended;
  if (live && seal.not_after_ms > 0 && now_ms > seal.not_after_ms) {
    return SealStatus::expired;
  }
  return seal.status;
}

std::string certificate_pem(const std::vector<std::uint8_t>& der) {
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  // 48 bytes make one 64-character line of base64.
  for (std::size_t at = 0; at < der.size(); at += 48) {
    std::size_t n = std::min<std::size_t>(48, der.size() - at);
    unsigned char line[65] = {};
    int len = EVP_EncodeBlock(line, der.data() + at, static_cast<int>(n));
    pem.append(reinterpret_cast<const char*>(line), static_cast<std::size_t>(len));
    pem += '\n';
  }
  return pem + "-----END CERTIFICATE-----\n";
}

}  // namespace seald::seals
