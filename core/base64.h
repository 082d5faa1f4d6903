#pragma once

// Text forms of bytes. Standard base64 (RFC 4648 §4, with padding) for the signing API's hashes
// and signatures. Decoding is strict: a client that sends a hash in some
// other alphabet, with whitespace or without padding gets a clear refusal
// rather than a silently different hash.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace seald {

std::string base64_encode(std::span<const std::uint8_t> bytes);

// Lower-case hex, two digits per byte (hashes in audit records and keys).
std::string hex_encode(std::span<const std::uint8_t> bytes);

// nullopt when the text is not canonical padded base64.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace seald
