#include "core/secret.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <openssl/crypto.h>

namespace seald {

Secret::Secret(Secret&& other) noexcept : value_(other.value_) {
  other.wipe();
}

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
  }
  return *this;
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = other.value_;
    other.wipe();
  }
  return *this;
}

Secret::~Secret() {
  wipe();
}

void Secret::wipe() noexcept {
  // Cleanse the whole capacity: a shrunk string may keep old bytes beyond size().
  if (value_.capacity() > 0) {
    OPENSSL_cleanse(value_.data(), value_.capacity());
  }
  value_.clear();
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool Secret::equals(std::string_view candidate) const {
  return constant_time_equal(value_, candidate);
}

Result<Secret> Secret::from_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return make_error("secret_file_missing", "cannot read secret file " + path);
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return make_error("secret_file_mode",
                      "secret file " + path + " is readable by group or others; chmod 600 it");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error("secret_file_missing", "cannot read secret file " + path);
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  Secret secret(text);
  OPENSSL_cleanse(text.data(), text.size());
  std::string& v = secret.value_;
  if (!v.empty() && v.back() == '\n') {
    v.pop_back();
  }
  if (!v.empty() && v.back() == '\r') {
    v.pop_back();
  }
  if (v.empty()) {
    return make_error("secret_empty", "secret file " + path + " is empty");
  }
  return secret;
}

Result<Secret> Secret::from_env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    return make_error("secret_missing",
                      std::string("environment variable ") + name + " is not set");
  }
  return Secret(std::string(v));
}

}  // namespace seald
