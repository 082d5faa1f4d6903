#include "audit/record.h"

#include <openssl/evp.h>

#include <array>
#include <memory>

namespace seald::audit {
namespace {

void put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

}  // namespace

std::string canonical_bytes(const Record& r) {
  std::string out;
  out.reserve(256);
  put(out, "seald-audit-v1");
  put(out, r.prev_hash);
  put(out, std::to_string(r.time_ms));
  put(out, r.actor);
  put(out, r.action);
  put(out, r.target);
  put(out, r.result);
  put(out, r.request_id);
  put(out, r.client);
  put(out, std::to_string(r.details.size()));
  for (const auto& [k, v] : r.details) {
    put(out, k);
    put(out, v);
  }
  return out;
}

std::string compute_hash(const Record& record) {
  std::string bytes = canonical_bytes(record);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 15]);
  }
  return hex;
}

}  // namespace seald::audit
