#pragma once

// Request ids tie a client's report, our access log and the audit log
// together. A client may bring its own (a proxy's trace id); anything that
// could smuggle text into a log line is replaced with a fresh id instead.

#include <string>
#include <string_view>

namespace seald::server {

inline constexpr std::size_t kMaxRequestIdLength = 64;

// 16 random bytes as 32 lowercase hex digits.
std::string new_request_id();

// 1 to 64 characters of [A-Za-z0-9._-].
bool valid_request_id(std::string_view id);

}  // namespace seald::server
