#pragma once

// Building responses. Every error seald returns, from a handler or from the
// server itself (404, 405, 413, ...), is {"error": CODE, "message": TEXT}
// with Content-Type application/json, made by json_error().

#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.h"
#include "server/http.h"

namespace seald::server {

inline constexpr std::string_view kJsonContentType = "application/json";

Response json_response(http::status status, const boost::json::value& body);

// extra holds further members for errors that carry detail (readiness checks).
Response json_error(http::status status, std::string_view code, std::string_view message,
                    boost::json::object extra = {});
inline Response json_error(http::status status, const Error& error) {
  return json_error(status, error.code, error.message);
}

Response text_response(http::status status, std::string body, std::string_view content_type);

}  // namespace seald::server
