#pragma once

// Internal to config/: one table describes every setting (its TOML key, the
// struct member it fills, its accepted range) so that the file parser, the
// environment overrides, validation and setting_names() cannot disagree.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.h"

namespace seald::config_internal {

using StringRef = std::string* (*)(Config&);
using UintRef = unsigned* (*)(Config&);
using SizeRef = std::size_t* (*)(Config&);
using PortRef = std::uint16_t* (*)(Config&);

// Returns why a string value is unacceptable ("must be ..."), or nullptr.
using StringCheck = const char* (*)(const std::string&);

struct Field {
  std::string_view section;  // empty: a top-level key
  std::string_view key;
  std::variant<StringRef, UintRef, SizeRef, PortRef> target;
  std::uint64_t min = 0;  // integers only
  std::uint64_t max = 0;
  StringCheck check = nullptr;  // strings only

  std::string path() const;      // "server.io_threads"
  std::string env_name() const;  // "SEALD_SERVER_IO_THREADS"
  bool is_string() const { return std::holds_alternative<StringRef>(target); }
};

std::span<const Field> fields();
const Field* find_field(std::string_view section, std::string_view key);
const Field* find_field_by_env(std::string_view env_name);

// False when v does not fit the member's C++ type; the range check against
// min/max is validation's job, after every source has been applied.
bool store_integer(const Field& f, Config& c, std::uint64_t v);
void store_string(const Field& f, Config& c, std::string v);
std::uint64_t load_integer(const Field& f, Config& c);
const std::string& load_string(const Field& f, Config& c);

// "must be an integer from 1 to 65535" and the like.
std::string integer_requirement(const Field& f);

// Names that must never be settings: a typo such as hsm.pin or
// SEALD_REDIS_PASSWORD means someone is about to put a secret in the wrong
// place, which deserves a better message than "unknown key".
bool looks_like_secret(std::string_view lower_snake_name);

// Where a setting's value came from: "seald.toml:12" or "SEALD_LISTEN".
struct Origin {
  std::string where;
  std::size_t line = 0;  // 0: not from the file
};
using Origins = std::map<std::string, Origin>;  // by Field::path()

struct Problem {
  std::size_t line = 0;
  std::string code;
  std::string message;
};
using Problems = std::vector<Problem>;

void add_problem(Problems& out, const Origins& origins, const std::string& path, std::string code,
                 std::string text);

// One Error listing every problem, in file order; its code is the first's.
Error to_error(Problems problems);

// The three stages of parse_config, in order; each adds to out and the
// caller stops after the first stage that found a problem.
void read_toml(const std::string& text, const std::string& source, Config& config, Origins& origins,
               Problems& out);
void apply_environment(const Environment& env, Config& config, Origins& origins, Problems& out);
void validate(Config& config, const Origins& origins, Problems& out);

std::string to_lower(std::string_view s);

}  // namespace seald::config_internal
