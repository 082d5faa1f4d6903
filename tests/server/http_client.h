#pragma once

// A deliberately plain HTTP/1.1 client for the server tests: one blocking
// TCP connection, raw bytes out, parsed responses in, every wait bounded. It
// can misbehave on purpose (half a header, a stall, pipelining) in ways a
// well-mannered client library would not.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seald::server::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct ClientResponse {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  bool keep_alive = true;

  // Empty if absent; name is case-insensitive.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

// The bytes of one request; Host and Content-Length are added.
std::string make_request(std::string_view method, std::string_view target,
                         const Headers& headers = {}, std::string_view body = {});

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool send(std::string_view bytes);
  void shutdown_send();

  std::optional<ClientResponse> read_response(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::optional<ClientResponse> request(std::string_view method, std::string_view target,
                                        const Headers& headers = {}, std::string_view body = {});
  std::optional<ClientResponse> get(std::string_view target, const Headers& headers = {}) {
    return request("GET", target, headers);
  }

  // True once the server has closed the connection (end of stream or reset)
  // within the timeout; false if it is still open then. Bytes that arrive
  // meanwhile are kept for read_response().
  bool wait_closed(std::chrono::milliseconds timeout);

 private:
  // Reads what is available within the deadline: >0 bytes, 0 at end of
  // stream or reset, -1 on timeout.
  long receive(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string pending_;
  bool eof_ = false;
};

// Opens a connection and checks whether the server accepts it: false when
// the connection is refused or closed at once.
bool can_connect(std::uint16_t port);

}  // namespace seald::server::testing
