#pragma once

// Errors are values. Each carries a stable machine code (snake_case, part of
// the public contract once it reaches the API) and a human message that never
// contains a secret. Components translate foreign errors (CK_RV, OpenSSL,
// hiredis) into this type once, at their own edge.

#include <string>
#include <utility>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

namespace seald {

struct Error {
  // Constructors rather than an aggregate: C++20 lets an aggregate be
  // paren-initialised from one string, which would make Result<std::string>'s
  // value and error constructors ambiguous.
  Error() = default;
  Error(std::string c, std::string m) : code(std::move(c)), message(std::move(m)) {}

  std::string code;
  std::string message;
};

template <class T>
using Result = boost::system::result<T, Error>;
using Status = Result<void>;

inline Error make_error(std::string code, std::string message) {
  return Error{std::move(code), std::move(message)};
}

// Thrown only by Result<T>::value() on an error; code on the request path
// checks has_value() instead, so this is for tools and tests.
class ErrorException : public std::exception {
 public:
  explicit ErrorException(Error e);
  const char* what() const noexcept override { return what_.c_str(); }
  const Error& error() const { return error_; }

 private:
  Error error_;
  std::string what_;
};

// Found by ADL from boost::system::result<T, Error>::value().
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

}  // namespace seald
