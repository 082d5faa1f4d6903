#pragma once

// A secret (PIN, password, app secret, token). The bytes are wiped when the
// object dies, it cannot be printed or formatted, equality is constant time,
// and the only way to read it is reveal() — easy to grep for in review.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"

namespace seald {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret& other) : value_(other.value_) {}
  Secret(Secret&& other) noexcept;
  Secret& operator=(const Secret& other);
  Secret& operator=(Secret&& other) noexcept;
  ~Secret();

  // Reads a secret from a file, dropping one trailing newline. The file must
  // not be readable by group or others; the message names the path only.
  static Result<Secret> from_file(const std::string& path);
  // Reads a secret from an environment variable; empty or unset is an error.
  static Result<Secret> from_env(const char* name);

  std::string_view reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  std::size_t size() const { return value_.size(); }

  // Constant-time in the contents (length is not secret).
  bool equals(std::string_view candidate) const;
  friend bool operator==(const Secret& a, const Secret& b) { return a.equals(b.value_); }

 private:
  void wipe() noexcept;
  std::string value_;
};

// Constant-time comparison for any two byte strings of the same length.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace seald
