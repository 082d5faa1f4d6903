#include "server/listen_address.h"

#include <charconv>

namespace seald::server {

namespace {

Error invalid(std::string_view text, std::string_view why) {
  return make_error("config_invalid", "server.listen '" + std::string(text) +
                                          "': " + std::string(why) +
                                          " (expected host:port or [ipv6]:port)");
}

bool valid_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view text) {
  ListenAddress address;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return invalid(text, "an IPv6 address needs brackets and a port");
    }
    address.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
    if (address.host.empty() ||
        address.host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos) {
      return invalid(text, "bad IPv6 address");
    }
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return invalid(text, "missing port");
    }
    address.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
    if (address.host.empty()) {
      return invalid(text, "missing host");
    }
    for (char c : address.host) {
      if (!valid_host_char(c)) {
        return invalid(text, c == ':' ? "an IPv6 address needs brackets" : "bad host name");
      }
    }
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value > 65535) {
    return invalid(text, "port must be a number from 0 to 65535");
  }
  address.port = static_cast<std::uint16_t>(value);
  return address;
}

}  // namespace seald::server
