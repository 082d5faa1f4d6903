#include "server/request_id.h"

#include <cstdint>
#include <random>

namespace seald::server {

std::string new_request_id() {
  // Ids need to be unique and unguessable enough not to collide across nodes,
  // not secret: a per-thread generator seeded from the OS avoids a shared lock.
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(32);
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = generator();
    for (int i = 0; i < 16; ++i) {
      id += kHex[bits & 0xf];
      bits >>= 4;
    }
  }
  return id;
}

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) {
    return false;
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace seald::server
