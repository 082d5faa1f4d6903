#include "metrics/text_format.h"

#include <charconv>
#include <cmath>

namespace seald::metrics::text {

namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

void append_help(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, ec == std::errc{} ? end : buf);
}

void append_labels(std::string& out, std::span<const std::string> names,
                   std::span<const std::string> values, std::string_view extra_name,
                   std::string_view extra_value) {
  if (names.empty() && extra_name.empty()) {
    return;
  }
  out += '{';
  bool first = true;
  auto one = [&](std::string_view name, std::string_view value) {
    if (!first) {
      out += ',';
    }
    first = false;
    out += name;
    out += "=\"";
    append_label_value(out, value);
    out += '"';
  };
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    one(names[i], values[i]);
  }
  if (!extra_name.empty()) {
    one(extra_name, extra_value);
  }
  out += '}';
}

bool valid_metric_name(std::string_view name) {
  if (name.empty() || !(is_alpha(name[0]) || name[0] == '_' || name[0] == ':')) {
    return false;
  }
  for (char c : name) {
    if (!(is_alpha(c) || is_digit(c) || c == '_' || c == ':')) {
      return false;
    }
  }
  return true;
}

bool valid_label_name(std::string_view name) {
  // Names starting with "__" are reserved for Prometheus itself.
  if (name.empty() || !(is_alpha(name[0]) || name[0] == '_') || name.starts_with("__")) {
    return false;
  }
  for (char c : name) {
    if (!(is_alpha(c) || is_digit(c) || c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace seald::metrics::text
