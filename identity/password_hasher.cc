#include "identity/password_hasher.h"

#include <argon2.h>

#include "identity/crypto.h"

namespace seald::identity {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

}  // namespace

Result<PasswordHasher> PasswordHasher::create(const PasswordHashOptions& options) {
  PasswordHasher probe(options, "");
  auto filler = random_bytes(24);
  if (!filler) {
    return filler.error();
  }
  auto dummy = probe.hash(base64url(*filler));
  if (!dummy) {
    return dummy.error();
  }
  return PasswordHasher(options, std::move(*dummy));
}

Result<std::string> PasswordHasher::hash(std::string_view password) const {
  auto salt = random_bytes(kSaltBytes);
  if (!salt) {
    return salt.error();
  }
  std::size_t len = argon2_encodedlen(options_.time_cost, options_.memory_kib, options_.parallelism,
                                      kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(len, '\0');
  int rc = argon2id_hash_encoded(options_.time_cost, options_.memory_kib, options_.parallelism,
                                 password.data(), password.size(), salt->data(), salt->size(),
                                 kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    return make_error("internal_error",
                      std::string("password hashing failed: ") + argon2_error_message(rc));
  }
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool PasswordHasher::verify(std::string_view encoded, std::string_view password) const {
  std::string terminated(encoded);  // libargon2 wants a C string
  return argon2id_verify(terminated.c_str(), password.data(), password.size()) == ARGON2_OK;
}

void PasswordHasher::verify_dummy(std::string_view password) const {
  (void)verify(dummy_, password);
}

}  // namespace seald::identity
