#pragma once

// Key pairs on the token: made there, never leaving it. The private key is
// a token object, private, sensitive, never extractable and good only for
// signing; both halves carry the caller's CKA_ID and CKA_LABEL, and the id
// is how seald names a key everywhere else.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "hsm/algorithms.h"
#include "hsm/token.h"

namespace seald::hsm {

struct KeyInfo {
  std::string id;
  std::string label;
  std::optional<KeyAlgorithm> algorithm;  // empty for a key seald does not make
  std::string algorithm_name;             // "ec-p256", or e.g. "rsa-4096" for others
};

// Errors: key_id_invalid (empty id), key_exists (an object with this id is
// already on the token), or the CK_RV of C_GenerateKeyPair.
Status generate_key_pair(const Token& token, KeyAlgorithm algorithm, std::string_view key_id,
                         std::string_view label);

// DER SubjectPublicKeyInfo of the key's public half. Error key_not_found.
Result<std::vector<std::uint8_t>> public_key_der(const Token& token, std::string_view key_id);

// Destroys both halves and makes every thread drop its cached handle.
// Error key_not_found when there is nothing with this id.
Status destroy_key_pair(Token& token, std::string_view key_id);

// Every private key on the token, sorted by id.
Result<std::vector<KeyInfo>> list_keys(const Token& token);

}  // namespace seald::hsm
