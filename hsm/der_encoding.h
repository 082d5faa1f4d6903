#pragma once

// What the token gives back, re-encoded with OpenSSL as the DER that
// certificates, CMS and verifiers expect: public keys as SubjectPublicKeyInfo,
// ECDSA signatures as ECDSA-Sig-Value.

#include <cstdint>
#include <span>
#include <vector>

#include "core/error.h"

namespace seald::hsm {

// ec_params: CKA_EC_PARAMS (a named-curve OID). ec_point: CKA_EC_POINT, a DER
// OCTET STRING around the uncompressed point (some modules give the bare
// point; both are accepted). Error public_key_invalid.
Result<std::vector<std::uint8_t>> ec_public_key_der(std::span<const std::uint8_t> ec_params,
                                                    std::span<const std::uint8_t> ec_point);

// Big-endian modulus and public exponent. Error public_key_invalid.
Result<std::vector<std::uint8_t>> rsa_public_key_der(std::span<const std::uint8_t> modulus,
                                                     std::span<const std::uint8_t> exponent);

// The 2n-byte r||s of CKM_ECDSA as a DER ECDSA-Sig-Value (what X.509 and CMS
// carry). Error signature_invalid on an odd or empty input.
Result<std::vector<std::uint8_t>> ecdsa_signature_der(std::span<const std::uint8_t> r_and_s);

}  // namespace seald::hsm
