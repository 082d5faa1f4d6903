#pragma once

// The bodies of POST /api/v1/sign and /api/v1/verify, read strictly: the
// public contract's field names, its algorithm names ("SHA-256", ...), and
// base64 whose decoded hashes must be as long as the algorithm says.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "hsm/algorithms.h"

namespace seald::api {

enum class SignFormat { raw, cms };

struct SignRequest {
  std::string seal_code;
  hsm::HashAlgorithm hash_algorithm = hsm::HashAlgorithm::sha256;
  std::vector<std::vector<std::uint8_t>> hashes;
  SignFormat format = SignFormat::raw;
};

struct VerifyRequest {
  std::string seal_code;
  hsm::HashAlgorithm hash_algorithm = hsm::HashAlgorithm::sha256;
  std::vector<std::uint8_t> hash;
  std::vector<std::uint8_t> signature;
  SignFormat format = SignFormat::raw;
};

// "SHA-256", "SHA-384", "SHA-512".
std::string_view hash_algorithm_name(hsm::HashAlgorithm hash);

// Errors: invalid_json, body_not_object, unknown_field, field_missing,
// field_invalid, unsupported_algorithm (hash_algorithm or format),
// too_many_hashes (more than max_hashes, or none), bad_base64,
// hash_length_mismatch.
Result<SignRequest> parse_sign_request(std::string_view body, std::size_t max_hashes);
Result<VerifyRequest> parse_verify_request(std::string_view body);

}  // namespace seald::api
