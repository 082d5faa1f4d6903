#pragma once

// Helpers shared by the hsm/ tests: the process's SoftHSM token, fresh key
// ids, hashing, and two independent verifiers (OpenSSL in-process and the
// openssl command line) that know nothing of hsm/.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hsm/algorithms.h"
#include "hsm/token.h"
#include "tests/support/softhsm_token.h"

namespace seald::hsm::test {

const testing::SoftHsmToken& softhsm();

// The test token, opened and logged in; throws (failing the test) if not.
TokenPtr open_test_token();

// An id no other test in this process uses.
std::string fresh_key_id(std::string_view prefix);

std::vector<std::uint8_t> digest(HashAlgorithm hash, std::string_view data);

// Generates a key pair and returns its DER SubjectPublicKeyInfo.
std::vector<std::uint8_t> make_key(const Token& token, KeyAlgorithm algorithm,
                                   const std::string& key_id);

bool evp_verify(std::span<const std::uint8_t> public_key_der, SignScheme scheme,
                HashAlgorithm hash_algorithm, std::span<const std::uint8_t> hash,
                std::span<const std::uint8_t> signature);

// Runs `openssl pkeyutl -verify` on files in a fresh folder; returns its exit
// status and fills output.
int openssl_cli_verify(std::span<const std::uint8_t> public_key_der, SignScheme scheme,
                       HashAlgorithm hash_algorithm, std::span<const std::uint8_t> hash,
                       std::span<const std::uint8_t> signature, std::string* output);

}  // namespace seald::hsm::test
