#pragma once

// The few primitives identity needs, from OpenSSL: a CSPRNG, SHA-256 and
// base64url. Tokens and codes are made here and nowhere else.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/secret.h"

namespace seald::identity {

// n bytes from RAND_bytes; internal_error if the generator is not seeded.
Result<std::string> random_bytes(std::size_t n);

// n decimal digits, uniformly distributed (rejection sampling, no modulo bias).
Result<Secret> random_digits(std::size_t n);

// base64url without padding (RFC 4648 §5).
std::string base64url(std::string_view bytes);

// Lower-case hex SHA-256: how tokens, codes and ID numbers are keyed in Redis.
std::string sha256_hex(std::string_view data);

}  // namespace seald::identity
