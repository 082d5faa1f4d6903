#include "tests/e2e/raw_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

namespace seald::testing {

namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
  return static_cast<int>(std::max<long long>(left, 0));
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The value of a header in a response head (lowercased), or "".
std::string header_value(const std::string& head_lower, std::string_view name) {
  std::string needle = "\r\n" + std::string(name) + ":";
  auto at = head_lower.find(needle);
  if (at == std::string::npos) {
    return "";
  }
  auto start = head_lower.find_first_not_of(' ', at + needle.size());
  auto end = head_lower.find("\r\n", start);
  return head_lower.substr(start, end - start);
}

}  // namespace

RawConnection::RawConnection(unsigned short port, Millis timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    pollfd p{fd, POLLOUT, 0};
    int err = 0;
    socklen_t len = sizeof err;
    if (errno != EINPROGRESS || ::poll(&p, 1, static_cast<int>(timeout.count())) != 1 ||
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
      ::close(fd);
      return;
    }
  }
  fd_ = fd;
}

RawConnection::~RawConnection() {
  close();
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(other.fd_), buffer_(std::move(other.buffer_)) {
  other.fd_ = -1;
}

void RawConnection::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

bool RawConnection::send(std::string_view bytes, Millis timeout) {
  auto deadline = Clock::now() + timeout;
  while (!bytes.empty()) {
    if (fd_ < 0) {
      return false;
    }
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, remaining_ms(deadline)) <= 0) {
        return false;
      }
      continue;
    }
    return false;  // EPIPE, ECONNRESET: the server stopped listening to us
  }
  return true;
}

long RawConnection::fill(Clock::time_point deadline) {
  if (fd_ < 0) {
    return 0;
  }
  char chunk[16384];
  for (;;) {
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(n));
      return n;
    }
    if (n == 0) {
      return 0;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return 0;  // a reset is a close, as far as the client can tell
    }
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) <= 0) {
      return -1;
    }
  }
}

RawConnection::Reply RawConnection::read_response(Millis timeout) {
  auto deadline = Clock::now() + timeout;
  Reply reply;
  auto more = [&] {
    long n = fill(deadline);
    if (n == 0) {
      reply.closed = true;
    } else if (n < 0) {
      reply.timed_out = true;
    }
    return n > 0;
  };
  for (;;) {
    auto end = buffer_.find("\r\n\r\n");
    if (end == std::string::npos) {
      if (!more()) {
        return reply;
      }
      continue;
    }
    std::string head = buffer_.substr(0, end + 4);
    int status = 0;
    if (head.size() >= 12 && head.starts_with("HTTP/1.")) {
      status = std::atoi(head.substr(9, 3).c_str());
    }
    buffer_.erase(0, end + 4);
    if (status >= 100 && status < 200) {
      continue;
    }
    reply.status = status;
    reply.head = head;
    break;
  }
  std::string head_lower = lower(reply.head);
  std::string length = header_value(head_lower, "content-length");
  if (!length.empty()) {
    std::size_t n = std::stoul(length);
    while (buffer_.size() < n) {
      if (!more()) {
        reply.status = 0;  // a truncated response is no response
        return reply;
      }
    }
    reply.body = buffer_.substr(0, n);
    buffer_.erase(0, n);
  } else if (header_value(head_lower, "transfer-encoding").find("chunked") != std::string::npos) {
    for (;;) {
      auto eol = buffer_.find("\r\n");
      if (eol == std::string::npos) {
        if (!more()) {
          reply.status = 0;
          return reply;
        }
        continue;
      }
      std::size_t size = std::stoul(buffer_.substr(0, eol), nullptr, 16);
      while (buffer_.size() < eol + 2 + size + 2) {
        if (!more()) {
          reply.status = 0;
          return reply;
        }
      }
      reply.body += buffer_.substr(eol + 2, size);
      buffer_.erase(0, eol + 2 + size + 2);
      if (size == 0) {
        break;
      }
    }
  } else {
    while (more()) {
    }
    reply.body = std::move(buffer_);
    buffer_.clear();
    reply.timed_out = false;
  }
  return reply;
}

bool RawConnection::wait_closed(Millis timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    long n = fill(deadline);
    if (n == 0) {
      return true;
    }
    if (n < 0) {
      return false;
    }
    buffer_.clear();
  }
}

RawConnection::Reply raw_exchange(unsigned short port, std::string_view bytes, Millis timeout) {
  RawConnection c(port);
  RawConnection::Reply reply;
  if (!c.connected()) {
    reply.closed = true;
    return reply;
  }
  c.send(bytes, timeout);  // a server that refuses early may stop reading
  reply = c.read_response(timeout);
  return reply;
}

std::string http_message(std::string_view method, std::string_view path, std::string_view body,
                         std::initializer_list<std::string_view> headers) {
  std::string out;
  out.reserve(body.size() + 256);
  out.append(method).append(" ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  for (auto h : headers) {
    out.append(h).append("\r\n");
  }
  out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
  out.append(body);
  return out;
}

}  // namespace seald::testing
