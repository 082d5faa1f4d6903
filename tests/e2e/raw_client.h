#pragma once

// A deliberately dumb HTTP client for hostile-input tests: it writes exactly
// the bytes it is given (no framing, no header fixing) to 127.0.0.1:port and
// reports what came back — a status line, or the server closing on us, or
// nothing within the timeout. curl cannot send a malformed request; this can.

#include <chrono>
#include <initializer_list>
#include <string>
#include <string_view>

namespace seald::testing {

using Millis = std::chrono::milliseconds;

// A socket that closes itself.
class RawConnection {
 public:
  // Connects (blocking, with a timeout); check connected().
  RawConnection(unsigned short port, Millis timeout = Millis(2000));
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&&) = delete;
  RawConnection(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Writes all of bytes; false if the peer closed or reset first.
  bool send(std::string_view bytes, Millis timeout = Millis(5000));

  // Reads one response: the status line, the headers and a Content-Length
  // (or chunked) body. Interim 1xx answers are skipped.
  struct Reply {
    int status = 0;          // 0: no complete status line arrived
    bool closed = false;     // the server closed (or reset) the connection
    bool timed_out = false;  // neither a whole response nor a close in time
    std::string head, body;
  };
  Reply read_response(Millis timeout = Millis(5000));

  // Reads and discards until the server closes; false if it did not close
  // within the timeout.
  bool wait_closed(Millis timeout);

  void close();

 private:
  // Appends what arrives to buffer_; 0 on close, -1 on timeout.
  long fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;  // read but not yet consumed
};

// One connection, one request, one reply.
RawConnection::Reply raw_exchange(unsigned short port, std::string_view bytes,
                                  Millis timeout = Millis(5000));

// "POST path HTTP/1.1" with Host, Content-Length and the given extra header
// lines (each without CRLF), then the body.
std::string http_message(std::string_view method, std::string_view path, std::string_view body,
                         std::initializer_list<std::string_view> headers = {});

}  // namespace seald::testing
