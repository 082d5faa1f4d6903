#pragma once

// A small JSON client over http_request (curl) for end-to-end API tests.

#include <string>

#include <boost/json.hpp>

#include "tests/support/seald_node.h"

namespace seald::testing {

struct ApiReply {
  int status = 0;
  boost::json::value body;  // null when not JSON
  std::string raw;
  std::string error() const {
    return body.is_object() && body.as_object().contains("error")
               ? std::string(body.at("error").as_string())
               : std::string();
  }
  std::string str(const char* field) const {
    return body.is_object() && body.as_object().contains(field) && body.at(field).is_string()
               ? std::string(body.at(field).as_string())
               : std::string();
  }
};

inline ApiReply api_call(const SealdNode& node, const std::string& method, const std::string& path,
                         const std::string& token = "", const boost::json::value& body = nullptr) {
  std::vector<std::string> headers{"Content-Type: application/json"};
  if (!token.empty()) {
    headers.push_back("Authorization: Bearer " + token);
  }
  std::string text = body.is_null() ? "" : boost::json::serialize(body);
  auto r = http_request(method, node.url("/api/v1" + path), text, headers);
  ApiReply reply;
  reply.status = r.status;
  reply.raw = r.body;
  boost::system::error_code ec;
  auto parsed = boost::json::parse(r.body, ec);
  if (!ec) {
    reply.body = std::move(parsed);
  }
  return reply;
}

}  // namespace seald::testing
