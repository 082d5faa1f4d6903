#include "api/sign_request.h"

#include <boost/json.hpp>

#include "api/json_body.h"
#include "core/base64.h"

namespace seald::api {
namespace {

Result<hsm::HashAlgorithm> read_hash_algorithm(const boost::json::object& body) {
  auto name = required_string(body, "hash_algorithm", 16);
  if (!name) {
    return name.error();
  }
  for (auto h :
       {hsm::HashAlgorithm::sha256, hsm::HashAlgorithm::sha384, hsm::HashAlgorithm::sha512}) {
    if (*name == hash_algorithm_name(h)) {
      return h;
    }
  }
  return make_error("unsupported_algorithm",
                    "hash_algorithm must be SHA-256, SHA-384 or SHA-512, not " + *name);
}

Result<SignFormat> read_format(const boost::json::object& body) {
  auto format = optional_string(body, "format", 16);
  if (!format) {
    return format.error();
  }
  if (!*format || **format == "raw") {
    return SignFormat::raw;
  }
  if (**format == "cms") {
    return SignFormat::cms;
  }
  return make_error("unsupported_algorithm", "format must be raw or cms, not " + **format);
}

Result<std::vector<std::uint8_t>> decode(const boost::json::value& v, const std::string& where) {
  if (!v.is_string()) {
    return make_error("field_invalid", where + " must be a base64 string");
  }
  auto bytes = base64_decode(v.get_string());
  if (!bytes) {
    return make_error("bad_base64", where + " is not padded standard base64");
  }
  return std::move(*bytes);
}

Status check_length(const std::vector<std::uint8_t>& hash, hsm::HashAlgorithm algorithm,
                    const std::string& where) {
  if (hash.size() != hsm::hash_length(algorithm)) {
    return make_error("hash_length_mismatch",
                      where + " is " + std::to_string(hash.size()) + " bytes; " +
                          std::string(hash_algorithm_name(algorithm)) + " hashes are " +
                          std::to_string(hsm::hash_length(algorithm)));
  }
  return {};
}

// seal_code, hash_algorithm and format, which sign and verify share.
template <class Request>
Status read_common(const boost::json::object& body, Request& request) {
  auto code = required_string(body, "seal_code", 64);
  if (!code) {
    return code.error();
  }
  request.seal_code = std::move(*code);
  auto algorithm = read_hash_algorithm(body);
  if (!algorithm) {
    return algorithm.error();
  }
  request.hash_algorithm = *algorithm;
  auto format = read_format(body);
  if (!format) {
    return format.error();
  }
  request.format = *format;
  return {};
}

}  // namespace

std::string_view hash_algorithm_name(hsm::HashAlgorithm hash) {
  switch (hash) {
    case hsm::HashAlgorithm::sha256:
      return "SHA-256";
    case hsm::HashAlgorithm::sha384:
      return "SHA-384";
    case hsm::HashAlgorithm::sha512:
      return "SHA-512";
  }
  return "";
}

Result<SignRequest> parse_sign_request(std::string_view text, std::size_t max_hashes) {
  auto body = parse_object(text, {"seal_code", "hash_algorithm", "hashes", "format"});
  if (!body) {
    return body.error();
  }
  SignRequest request;
  if (auto s = read_common(*body, request); !s) {
    return s.error();
  }
  const boost::json::value* hashes = body->if_contains("hashes");
  if (hashes == nullptr) {
    return make_error("field_missing", "field 'hashes' is required");
  }
  if (!hashes->is_array()) {
    return make_error("field_invalid", "field 'hashes' must be an array of base64 strings");
  }
  const auto& array = hashes->get_array();
  if (array.empty() || array.size() > max_hashes) {
    return make_error("too_many_hashes", "a request carries 1 to " + std::to_string(max_hashes) +
                                             " hashes, not " + std::to_string(array.size()));
  }
  request.hashes.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    std::string where = "hashes[" + std::to_string(i) + "]";
    auto hash = decode(array[i], where);
    if (!hash) {
      return hash.error();
    }
    if (auto s = check_length(*hash, request.hash_algorithm, where); !s) {
      return s.error();
    }
    request.hashes.push_back(std::move(*hash));
  }
  return request;
}

Result<VerifyRequest> parse_verify_request(std::string_view text) {
  auto body = parse_object(text, {"seal_code", "hash_algorithm", "hash", "signature", "format"});
  if (!body) {
    return body.error();
  }
  VerifyRequest request;
  if (auto s = read_common(*body, request); !s) {
    return s.error();
  }
  for (auto [field, into] :
       {std::pair{"hash", &request.hash}, std::pair{"signature", &request.signature}}) {
    const boost::json::value* v = body->if_contains(field);
    if (v == nullptr) {
      return make_error("field_missing", std::string("field '") + field + "' is required");
    }
    auto bytes = decode(*v, field);
    if (!bytes) {
      return bytes.error();
    }
    *into = std::move(*bytes);
  }
  if (auto s = check_length(request.hash, request.hash_algorithm, "hash"); !s) {
    return s.error();
  }
  return request;
}

}  // namespace seald::api
