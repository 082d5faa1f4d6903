#include "api/request_parts.h"

#include <cctype>
#include <charconv>

#include <boost/url/parse.hpp>

namespace seald::api {

std::optional<std::string_view> bearer_token(const server::Request& request) {
  auto it = request.find(server::http::field::authorization);
  if (it == request.end()) {
    return std::nullopt;
  }
  std::string_view value = it->value();
  constexpr std::string_view kScheme = "Bearer ";
  if (value.size() <= kScheme.size()) {
    return std::nullopt;
  }
  // The scheme is case-insensitive (RFC 9110).
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i]))) {
      return std::nullopt;
    }
  }
  return value.substr(kScheme.size());
}

std::optional<std::string> query_param(std::string_view target, std::string_view name) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) {
    return std::nullopt;
  }
  auto params = url->params();
  auto it = params.find(name);
  if (it == params.end()) {
    return std::nullopt;
  }
  return std::string((*it).value);
}

namespace {

Result<std::size_t> parse_count(const std::string& text, std::string_view name) {
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return make_error("paging_invalid",
                      std::string(name) + " must be a non-negative integer, not '" + text + "'");
  }
  return n;
}

}  // namespace

Result<Paging> parse_paging(std::string_view target) {
  Paging paging;
  if (auto offset = query_param(target, "offset")) {
    auto n = parse_count(*offset, "offset");
    if (!n) {
      return n.error();
    }
    paging.offset = *n;
  }
  if (auto limit = query_param(target, "limit")) {
    auto n = parse_count(*limit, "limit");
    if (!n) {
      return n.error();
    }
    if (*n == 0 || *n > Paging::kMaxLimit) {
      return make_error("paging_invalid",
                        "limit must be between 1 and " + std::to_string(Paging::kMaxLimit));
    }
    paging.limit = *n;
  }
  return paging;
}

}  // namespace seald::api
