#include "seals/seal_code.h"

#include <algorithm>
#include <cstdio>

namespace seald::seals {
namespace {

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool is_seal_code(std::string_view code) {
  return code.size() == kSealCodeLength && all_digits(code);
}

std::string format_seal_code(std::string_view region, int year, std::int64_t sequence) {
  char tail[16];
  std::snprintf(tail, sizeof tail, "%04d%06lld", year, static_cast<long long>(sequence));
  return std::string(region) + tail;
}

Result<std::string> next_seal_code(redis::Pool& pool, std::string_view region, int year) {
  if (region.size() != 6 || !all_digits(region)) {
    return make_error("region_invalid", "an org's region must be 6 digits to number its seals");
  }
  if (year < 1000 || year > 9999) {
    return make_error("seal_code_exhausted", "the year does not fit a seal code");
  }
  auto lease = pool.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string key = "seald:seals:seq:" + std::string(region) + ":" + std::to_string(year);
  auto reply = (*lease)->command({"INCR", key});
  if (!reply) {
    return reply.error();
  }
  // A number past the range is burnt, never reused: INCR only grows.
  if (reply->integer() < 1 || reply->integer() > kMaxSequence) {
    return make_error("seal_code_exhausted", "region " + std::string(region) + " has used every " +
                                                 std::to_string(year) + " seal code");
  }
  return format_seal_code(region, year, reply->integer());
}

}  // namespace seald::seals
