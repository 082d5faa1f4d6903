#include "apps/app_secret.h"

#include <array>
#include <cstddef>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace seald::apps {
namespace {

constexpr std::size_t kSecretBytes = 32;

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 0x0f];
  }
  return out;
}

Result<std::string> random_hex(std::size_t bytes) {
  std::array<unsigned char, 32> raw{};
  if (bytes > raw.size() || RAND_bytes(raw.data(), static_cast<int>(bytes)) != 1) {
    return make_error("app_store_failed", "no randomness for an app identifier");
  }
  return hex(raw.data(), bytes);
}

std::string base64url(const unsigned char* p, std::size_t n) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((n * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    unsigned v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (n - i == 1) {
    unsigned v = p[i] << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (n - i == 2) {
    unsigned v = (p[i] << 16) | (p[i + 1] << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

}  // namespace

Result<Secret> generate_secret() {
  std::array<unsigned char, kSecretBytes> raw{};
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    return make_error("app_store_failed", "no randomness for an app secret");
  }
  Secret secret(base64url(raw.data(), raw.size()));
  OPENSSL_cleanse(raw.data(), raw.size());
  return secret;
}

Result<std::string> generate_client_id() {
  auto h = random_hex(8);
  if (!h) {
    return h.error();
  }
  return "app_" + *h;
}

Result<std::string> generate_app_id() {
  return random_hex(16);
}

Result<std::string> secret_hash(std::string_view secret) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(secret.data(), secret.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) {
    return make_error("app_store_failed", "SHA-256 failed");
  }
  return hex(md.data(), len);
}

}  // namespace seald::apps
