#include "tests/server/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace seald::server::testing {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string ClientResponse::header(std::string_view name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

bool ClientResponse::has_header(std::string_view name) const {
  return headers.count(lower(name)) != 0;
}

std::string make_request(std::string_view method, std::string_view target, const Headers& headers,
                         std::string_view body) {
  std::string out;
  out.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  for (const auto& [name, value] : headers) {
    out.append(name).append(": ").append(value).append("\r\n");
  }
  if (!body.empty() || method == "POST" || method == "PUT") {
    out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  out.append("\r\n").append(body);
  return out;
}

HttpClient::HttpClient(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fd_ = fd;
}

HttpClient::~HttpClient() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

bool HttpClient::send(std::string_view bytes) {
  while (fd_ >= 0 && !bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return fd_ >= 0;
}

void HttpClient::shutdown_send() {
  if (fd_ >= 0) {
    ::shutdown(fd_, SHUT_WR);
  }
}

long HttpClient::receive(Clock::time_point deadline) {
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() < 0) {
      return -1;
    }
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready == 0) {
      return -1;
    }
    char buf[16384];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
      continue;
    }
    if (n <= 0) {
      eof_ = true;
      return 0;
    }
    pending_.append(buf, static_cast<std::size_t>(n));
    return n;
  }
}

std::optional<ClientResponse> HttpClient::read_response(std::chrono::milliseconds timeout) {
  if (fd_ < 0) {
    return std::nullopt;
  }
  const auto deadline = Clock::now() + timeout;
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(64 * 1024 * 1024);
  while (true) {
    if (!pending_.empty()) {
      boost::system::error_code ec;
      std::size_t used = parser.put(boost::asio::buffer(pending_), ec);
      pending_.erase(0, used);
      if (ec && ec != http::error::need_more) {
        return std::nullopt;
      }
    }
    if (parser.is_done()) {
      break;
    }
    if (eof_) {
      boost::system::error_code ec;
      parser.put_eof(ec);
      if (ec || !parser.is_done()) {
        return std::nullopt;
      }
      break;
    }
    if (receive(deadline) < 0) {
      return std::nullopt;
    }
  }
  const auto& message = parser.get();
  ClientResponse response;
  response.status = message.result_int();
  for (const auto& field : message) {
    response.headers[lower(field.name_string())] = std::string(field.value());
  }
  response.body = message.body();
  response.keep_alive = message.keep_alive();
  return response;
}

std::optional<ClientResponse> HttpClient::request(std::string_view method, std::string_view target,
                                                  const Headers& headers, std::string_view body) {
  if (!send(make_request(method, target, headers, body))) {
    return std::nullopt;
  }
  return read_response();
}

bool HttpClient::wait_closed(std::chrono::milliseconds timeout) {
  if (fd_ < 0) {
    return true;
  }
  const auto deadline = Clock::now() + timeout;
  while (!eof_) {
    if (receive(deadline) < 0) {
      return false;
    }
  }
  return true;
}

bool can_connect(std::uint16_t port) {
  HttpClient client(port);
  if (!client.connected()) {
    return false;
  }
  // A listener whose accept queue is closed may still complete the TCP
  // handshake on some kernels; a request proves someone is serving.
  auto response = client.get("/healthz");
  return response.has_value();
}

}  // namespace seald::server::testing
