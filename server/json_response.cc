#include "server/json_response.h"

#include <boost/json/serialize.hpp>

namespace seald::server {

Response json_response(http::status status, const boost::json::value& body) {
  return text_response(status, boost::json::serialize(body), kJsonContentType);
}

Response json_error(http::status status, std::string_view code, std::string_view message,
                    boost::json::object extra) {
  boost::json::object body;
  body["error"] = code;
  body["message"] = message;
  for (auto& member : extra) {
    body[member.key()] = std::move(member.value());
  }
  return json_response(status, body);
}

Response text_response(http::status status, std::string body, std::string_view content_type) {
  Response response{status, 11};
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  return response;
}

}  // namespace seald::server
