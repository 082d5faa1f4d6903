#include "api/json_body.h"

#include <algorithm>
#include <limits>
#include <unordered_set>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

namespace seald::api {

namespace {

using boost::system::error_code;
using sv = boost::json::string_view;

// A basic_parser handler that only remembers the keys of each open object
// (hashed, so a body of many keys costs linear time, not quadratic).
struct DuplicateKeyFinder {
  static constexpr std::size_t max_object_size = std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_array_size = std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_key_size = std::numeric_limits<std::size_t>::max();
  static constexpr std::size_t max_string_size = std::numeric_limits<std::size_t>::max();

  std::vector<std::unordered_set<std::string>> open_objects;
  std::string key;
  std::optional<std::string> duplicate;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) {
    open_objects.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    open_objects.pop_back();
    return true;
  }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t, error_code&) { return true; }
  bool on_key_part(sv s, std::size_t, error_code&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(sv s, std::size_t, error_code&) {
    key.append(s.data(), s.size());
    if (!open_objects.back().insert(key).second && !duplicate) {
      duplicate = key;
    }
    key.clear();
    return true;
  }
  bool on_string_part(sv, std::size_t, error_code&) { return true; }
  bool on_string(sv, std::size_t, error_code&) { return true; }
  bool on_number_part(sv, error_code&) { return true; }
  bool on_int64(std::int64_t, sv, error_code&) { return true; }
  bool on_uint64(std::uint64_t, sv, error_code&) { return true; }
  bool on_double(double, sv, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(sv, error_code&) { return true; }
  bool on_comment(sv, error_code&) { return true; }
};

}  // namespace

std::optional<std::string> duplicate_key(std::string_view json_text) {
  boost::json::parse_options options;
  options.max_depth = 64;  // callers parsed the text already, with their own limit
  boost::json::basic_parser<DuplicateKeyFinder> parser(options);
  error_code ec;
  parser.write_some(false, json_text.data(), json_text.size(), ec);
  return std::move(parser.handler().duplicate);
}

Result<boost::json::object> parse_object(std::string_view body,
                                         std::initializer_list<std::string_view> allowed) {
  boost::json::parse_options options;
  options.max_depth = 16;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec, {}, options);
  if (ec) {
    return make_error("invalid_json", "request body is not valid JSON: " + ec.message());
  }
  if (!v.is_object()) {
    return make_error("body_not_object", "request body must be a JSON object");
  }
  if (auto key = duplicate_key(body)) {
    return make_error("duplicate_field", "field '" + *key + "' appears more than once");
  }
  boost::json::object& object = v.as_object();
  for (const auto& member : object) {
    if (std::find(allowed.begin(), allowed.end(), member.key()) == allowed.end()) {
      return make_error("unknown_field", "unknown field '" + std::string(member.key()) + "'");
    }
  }
  return std::move(object);
}

Result<std::optional<std::string>> optional_string(const boost::json::object& body,
                                                   std::string_view field, std::size_t max_len) {
  const boost::json::value* v = body.if_contains(field);
  if (v == nullptr || v->is_null()) {
    return std::optional<std::string>();
  }
  if (!v->is_string()) {
    return make_error("field_invalid", "field '" + std::string(field) + "' must be a string");
  }
  const auto& s = v->get_string();
  if (s.size() > max_len) {
    return make_error("field_invalid", "field '" + std::string(field) + "' is longer than " +
                                           std::to_string(max_len) + " bytes");
  }
  return std::optional<std::string>(std::string(s));
}

Result<std::string> required_string(const boost::json::object& body, std::string_view field,
                                    std::size_t max_len) {
  auto v = optional_string(body, field, max_len);
  if (!v) {
    return v.error();
  }
  if (!v->has_value()) {
    return make_error("field_missing", "field '" + std::string(field) + "' is required");
  }
  if ((*v)->empty()) {
    return make_error("field_invalid", "field '" + std::string(field) + "' must not be empty");
  }
  return std::move(**v);
}

Result<std::optional<std::int64_t>> optional_int(const boost::json::object& body,
                                                 std::string_view field) {
  const boost::json::value* v = body.if_contains(field);
  if (v == nullptr || v->is_null()) {
    return std::optional<std::int64_t>();
  }
  if (v->is_int64()) {
    return std::optional<std::int64_t>(v->get_int64());
  }
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return std::optional<std::int64_t>(static_cast<std::int64_t>(v->get_uint64()));
  }
  return make_error("field_invalid", "field '" + std::string(field) + "' must be an integer");
}

Result<std::int64_t> required_version(const boost::json::object& body) {
  auto version = optional_int(body, "version");
  if (!version) {
    return version.error();
  }
  if (!*version) {
    return make_error("field_missing", "field 'version' is required: send the version you read");
  }
  return **version;
}

Result<std::optional<std::vector<std::string>>> optional_string_list(
    const boost::json::object& body, std::string_view field, std::size_t max_items,
    std::size_t max_len) {
  const boost::json::value* v = body.if_contains(field);
  if (v == nullptr || v->is_null()) {
    return std::optional<std::vector<std::string>>();
  }
  std::string name(field);
  if (!v->is_array()) {
    return make_error("field_invalid", "field '" + name + "' must be an array of strings");
  }
  const auto& array = v->get_array();
  if (array.empty() || array.size() > max_items) {
    return make_error("field_invalid", "field '" + name + "' must hold 1 to " +
                                           std::to_string(max_items) + " entries");
  }
  std::vector<std::string> out;
  out.reserve(array.size());
  for (const auto& item : array) {
    if (!item.is_string() || item.get_string().empty() || item.get_string().size() > max_len) {
      return make_error("field_invalid", "field '" + name +
                                             "' must hold non-empty strings of at most " +
                                             std::to_string(max_len) + " bytes");
    }
    out.emplace_back(item.get_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::optional<bool>> optional_bool(const boost::json::object& body, std::string_view field) {
  const boost::json::value* v = body.if_contains(field);
  if (v == nullptr || v->is_null()) {
    return std::optional<bool>();
  }
  if (!v->is_bool()) {
    return make_error("field_invalid", "field '" + std::string(field) + "' must be true or false");
  }
  return std::optional<bool>(v->get_bool());
}

}  // namespace seald::api
