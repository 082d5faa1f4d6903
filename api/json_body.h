#pragma once

// Strict request bodies: a JSON object whose every member is one the endpoint
// knows. An unknown field is refused (a typo must not be silently ignored).
// Getters name the field in their errors.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/error.h"

namespace seald::api {

// Errors: invalid_json, body_not_object, duplicate_field, unknown_field
// (naming it).
Result<boost::json::object> parse_object(std::string_view body,
                                         std::initializer_list<std::string_view> allowed);

// The first key that appears twice in one object of this JSON text, if any.
// Boost.JSON keeps the last of duplicate keys, another parser (a gateway, an
// auditor's tool) may keep the first: two readers of one request would see
// two different requests, so bodies with duplicates are refused. Call on
// text that parses.
std::optional<std::string> duplicate_key(std::string_view json_text);

// A string member. Missing → field_missing (when required); not a string or
// longer than max_len (in bytes) or empty when required → field_invalid.
Result<std::optional<std::string>> optional_string(const boost::json::object& body,
                                                   std::string_view field,
                                                   std::size_t max_len = 256);
Result<std::string> required_string(const boost::json::object& body, std::string_view field,
                                    std::size_t max_len = 256);
Result<std::optional<std::int64_t>> optional_int(const boost::json::object& body,
                                                 std::string_view field);

// The "version" a change was read at: required (field_missing), so a client
// cannot overwrite a record it never saw.
Result<std::int64_t> required_version(const boost::json::object& body);

// An array of 1..max_items non-empty strings (each at most max_len bytes).
// Absent or null → nullopt; anything else → field_invalid.
Result<std::optional<std::vector<std::string>>> optional_string_list(
    const boost::json::object& body, std::string_view field, std::size_t max_items,
    std::size_t max_len = 256);

// A JSON boolean; absent or null → nullopt; anything else → field_invalid.
Result<std::optional<bool>> optional_bool(const boost::json::object& body, std::string_view field);

}  // namespace seald::api
