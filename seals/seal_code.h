#pragma once

// Seal codes: region (6 digits, the org's administrative division) + year
// (4 digits, when the seal was made) + sequence (6 digits, per region and
// year, from one Redis INCR so two nodes never hand out the same code).
// Example: 3301002025000017. The format is documented in docs/redis/seals.md.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "redis/pool.h"

namespace seald::seals {

inline constexpr std::size_t kSealCodeLength = 16;
inline constexpr std::int64_t kMaxSequence = 999999;

// 16 digits.
bool is_seal_code(std::string_view code);

// The code for sequence n (1..kMaxSequence). The caller checks the parts.
std::string format_seal_code(std::string_view region, int year, std::int64_t sequence);

// Takes the next code for the region and year. Errors: region_invalid (not
// 6 digits), seal_code_exhausted (the year's sequence ran out),
// redis_unavailable.
Result<std::string> next_seal_code(redis::Pool& pool, std::string_view region, int year);

}  // namespace seald::seals
