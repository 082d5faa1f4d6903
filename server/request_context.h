#pragma once

// What the server knows about a request besides its bytes. Handlers read it;
// layers in front of them add to it (the auth layer will add the
// authenticated principal here, and with TLS the verified client
// certificate's subject).

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

namespace seald::server {

struct PathParam {
  std::string name;
  std::string value;  // percent-decoded
};

struct RequestContext {
  // The client's X-Request-Id if well-formed, else a fresh one; echoed on
  // the response.
  std::string request_id;
  boost::asio::ip::tcp::endpoint remote;
  // The matched route's name (a metrics label), or "unrouted".
  std::string_view route;
  // Values of the route's {name} segments.
  std::vector<PathParam> params;
  // When the first byte of the request arrived.
  std::chrono::steady_clock::time_point received;

  // The value of path parameter `name`, or empty if the route has none.
  std::string_view param(std::string_view name) const {
    for (const auto& p : params) {
      if (p.name == name) {
        return p.value;
      }
    }
    return {};
  }
};

}  // namespace seald::server
