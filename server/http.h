#pragma once

// The HTTP message types handlers see. Bodies are strings: seald's requests
// and responses are small JSON documents, bounded by ServerConfig.body_limit.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

namespace seald::server {

namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

}  // namespace seald::server
