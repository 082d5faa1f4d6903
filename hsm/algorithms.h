#pragma once

// The key algorithms, signature schemes and hash algorithms seald supports,
// with their names in configuration, the CLI and the API.

#include <p11-kit/pkcs11.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace seald::hsm {

enum class KeyAlgorithm { ec_p256, ec_p384, rsa_2048, rsa_3072 };
enum class SignScheme { ecdsa, rsa_pkcs1_v15, rsa_pss };
enum class HashAlgorithm { sha256, sha384, sha512 };

// "ec-p256", "ec-p384", "rsa-2048", "rsa-3072".
std::string_view name(KeyAlgorithm algorithm);
// "ecdsa", "rsa-pkcs1-v1.5", "rsa-pss".
std::string_view name(SignScheme scheme);
// "sha256", "sha384", "sha512".
std::string_view name(HashAlgorithm hash);

std::optional<KeyAlgorithm> parse_key_algorithm(std::string_view text);
std::optional<SignScheme> parse_sign_scheme(std::string_view text);
std::optional<HashAlgorithm> parse_hash_algorithm(std::string_view text);

std::size_t hash_length(HashAlgorithm hash);
bool is_ec(KeyAlgorithm algorithm);
// The scheme a key of this PKCS#11 type can make: ECDSA for CKK_EC, either
// RSA scheme for CKK_RSA.
bool scheme_fits_key_type(SignScheme scheme, CK_KEY_TYPE type);

// The DER prefix of a PKCS#1 v1.5 DigestInfo for this hash (RFC 8017
// section 9.2, note 1); the hash value follows it.
std::span<const std::uint8_t> digest_info_prefix(HashAlgorithm hash);

// The DER OID of a named curve, as CKA_EC_PARAMS holds it.
std::span<const std::uint8_t> ec_params(KeyAlgorithm algorithm);

CK_MECHANISM_TYPE hash_mechanism(HashAlgorithm hash);
CK_RSA_PKCS_MGF_TYPE mgf1(HashAlgorithm hash);

}  // namespace seald::hsm
