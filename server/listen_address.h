#pragma once

// The server.listen setting: "host:port" or "[v6-address]:port". host is an
// IPv4 address, a name such as localhost (resolved when the server starts) or
// a bracketed IPv6 address. Port 0 asks the OS for a free port (tests).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace seald::server {

struct ListenAddress {
  std::string host;  // without brackets
  std::uint16_t port = 0;
};

Result<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace seald::server
