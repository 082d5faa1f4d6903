#pragma once

// Pieces of a request every handler needs: the bearer token and paging.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "server/http.h"

namespace seald::api {

// "Authorization: Bearer <token>" → the token; nullopt when absent or not Bearer.
std::optional<std::string_view> bearer_token(const server::Request& request);

struct Paging {
  std::size_t offset = 0;
  std::size_t limit = 20;
  static constexpr std::size_t kMaxLimit = 100;
};

// ?offset=N&limit=M from the request target. Errors: paging_invalid.
Result<Paging> parse_paging(std::string_view target);

// A query parameter's decoded value, if present.
std::optional<std::string> query_param(std::string_view target, std::string_view name);

}  // namespace seald::api
