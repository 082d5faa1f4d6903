#pragma once

// Making and checking app secrets. Kept apart from the store so the one place
// that sees a secret in clear is short enough to review at once.

#include <string>
#include <string_view>

#include "core/error.h"
#include "core/secret.h"

namespace seald::apps {

// 32 random bytes, base64url without padding (43 characters).
Result<Secret> generate_secret();
// "app_" + 16 random hex characters.
Result<std::string> generate_client_id();
// 32 random hex characters.
Result<std::string> generate_app_id();

// Lower-case hex SHA-256 of the secret. A plain, unsalted fast hash is
// adequate here because the secret is 256 bits from a CSPRNG: there is no
// dictionary to attack and brute force over 2^256 is out of reach, so the
// salting and stretching a human password needs (argon2) add nothing.
Result<std::string> secret_hash(std::string_view secret);

}  // namespace seald::apps
