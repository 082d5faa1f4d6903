// Reads the TOML file into a Config, reporting every unknown key, wrong type
// and secret-looking key with its line.

#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "config/fields.h"

// Debian's libtomlplusplus is built with exceptions (its symbols live in
// toml::v3::ex only), so a syntax error arrives as toml::parse_error and
// read_toml is the edge where it turns into a Problem.
static_assert(TOML_EXCEPTIONS, "toml++ must be used with exceptions, as the shared library is");

namespace seald::config_internal {

namespace {

constexpr std::string_view kSections[] = {"server", "hsm", "redis", "signing", "log"};

bool is_section(std::string_view name) {
  for (std::string_view s : kSections) {
    if (s == name) {
      return true;
    }
  }
  return false;
}

const char* type_name(toml::node_type t) {
  switch (t) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string secret_hint(std::string_view section, std::string_view key) {
  std::string hint = "secrets never go in the config file: ";
  if (section == "redis") {
    hint += "put the Redis password in a 0600 file and name it in redis.password_file";
  } else {
    hint +=
        "put the HSM PIN in a 0600 file named by hsm.pin_file, or in the environment variable "
        "named by hsm.pin_env";
  }
  if (key == "token") {
    hint += " (to choose the token, use hsm.token_label or hsm.token_uri)";
  }
  return hint;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// toml++ quotes pieces of the offending text in its descriptions; if the
// broken line is "pin = ...", that piece may be the PIN itself.
bool line_holds_secret(std::string_view text, std::size_t line) {
  std::size_t begin = 0;
  for (std::size_t n = 1; n < line && begin != std::string_view::npos; ++n) {
    begin = text.find('\n', begin);
    begin = begin == std::string_view::npos ? begin : begin + 1;
  }
  if (begin == std::string_view::npos) {
    return false;
  }
  std::string_view row = text.substr(begin, text.find('\n', begin) - begin);
  std::size_t eq = row.find('=');
  if (eq == std::string_view::npos) {
    return false;
  }
  std::string_view key = trim(row.substr(0, eq));
  if (std::size_t dot = key.rfind('.'); dot != std::string_view::npos) {
    key = trim(key.substr(dot + 1));
  }
  if (key.size() >= 2 && (key.front() == '"' || key.front() == '\'')) {
    key = key.substr(1, key.size() - 2);
  }
  return looks_like_secret(to_lower(key));
}

class Reader {
 public:
  Reader(const std::string& source, Config& config, Origins& origins, Problems& out)
      : source_(source), config_(config), origins_(origins), out_(out) {}

  void read_root(const toml::table& root) {
    for (auto&& [key, node] : root) {
      std::size_t line = key.source().begin.line;
      if (!is_section(key.str())) {
        read_key("", key.str(), node, line);
        continue;
      }
      if (const toml::table* section = node.as_table()) {
        for (auto&& [sub_key, sub_node] : *section) {
          read_key(key.str(), sub_key.str(), sub_node, sub_key.source().begin.line);
        }
      } else {
        problem(line, "config_type",
                std::string(key.str()) + " must be a table, not " + type_name(node.type()));
      }
    }
  }

 private:
  void read_key(std::string_view section, std::string_view key, const toml::node& node,
                std::size_t line) {
    std::string path(key);
    if (!section.empty()) {
      path = std::string(section) + "." + path;
    }
    if (looks_like_secret(to_lower(key))) {
      problem(line, "config_secret_in_file",
              path + " looks like a secret; " + secret_hint(section, to_lower(key)));
      return;
    }
    const Field* field = find_field(section, key);
    if (field == nullptr) {
      problem(line, "config_unknown_key",
              (node.is_table() ? "unknown table " : "unknown key ") + path);
      return;
    }
    origins_[path] = Origin{source_ + ":" + std::to_string(line), line};
    if (field->is_string()) {
      if (const auto* s = node.as_string()) {
        store_string(*field, config_, s->get());
      } else {
        problem(line, "config_type", path + " must be a string, not " + type_name(node.type()));
      }
      return;
    }
    const auto* i = node.as_integer();
    if (i == nullptr) {
      problem(line, "config_type", path + " must be an integer, not " + type_name(node.type()));
    } else if (i->get() < 0 ||
               !store_integer(*field, config_, static_cast<std::uint64_t>(i->get()))) {
      problem(line, "config_invalid", path + " " + integer_requirement(*field));
    }
  }

  void problem(std::size_t line, std::string code, std::string text) {
    out_.push_back(
        {line, std::move(code), source_ + ":" + std::to_string(line) + ": " + std::move(text)});
  }

  const std::string& source_;
  Config& config_;
  Origins& origins_;
  Problems& out_;
};

}  // namespace

void read_toml(const std::string& text, const std::string& source, Config& config, Origins& origins,
               Problems& out) {
  toml::table root;
  try {
    root = toml::parse(std::string_view(text), std::string_view(source));
  } catch (const toml::parse_error& e) {
    std::size_t line = e.source().begin.line;
    std::string where = source + ":" + std::to_string(line) + ":" +
                        std::to_string(e.source().begin.column) + ": syntax error: ";
    std::string what = line_holds_secret(text, line)
                           ? "details withheld, as this line looks like it holds a secret "
                             "(and secrets never go in the config file)"
                           : std::string(e.description());
    out.push_back({line, "config_syntax", where + what});
    return;
  }
  Reader(source, config, origins, out).read_root(root);
}

}  // namespace seald::config_internal
