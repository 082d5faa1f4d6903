#include <cctype>
#include <charconv>

#include "config/fields.h"

namespace seald {

namespace {

bool all_of(std::string_view s, bool (*pred)(char)) {
  for (char ch : s) {
    if (!pred(ch)) {
      return false;
    }
  }
  return true;
}

bool hostname_char(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '-' || ch == '.' || ch == '_';
}

bool ipv6_char(char ch) {
  return std::isxdigit(static_cast<unsigned char>(ch)) != 0 || ch == ':' || ch == '.';
}

bool zone_char(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '-' || ch == '_' || ch == '.';
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view listen) {
  auto fail = [&] {
    return make_error("config_invalid",
                      "listen address must be host:port or [ipv6]:port, with a port from 1 to "
                      "65535");
  };
  std::string_view host;
  std::string_view port;
  if (listen.starts_with('[')) {
    std::size_t close = listen.find(']');
    if (close == std::string_view::npos || listen.substr(close + 1, 1) != ":") {
      return fail();
    }
    host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
    // A zone (fe80::1%eth0) is allowed: link-local listeners need one.
    std::size_t pct = host.find('%');
    std::string_view address = host.substr(0, pct);
    if (address.find(':') == std::string_view::npos || !all_of(address, ipv6_char)) {
      return fail();
    }
    if (pct != std::string_view::npos &&
        (pct + 1 == host.size() || !all_of(host.substr(pct + 1), zone_char))) {
      return fail();
    }
  } else {
    std::size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos) {
      return fail();
    }
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
    // An unbracketed IPv6 address is ambiguous about where the port starts.
    if (host.empty() || !all_of(host, hostname_char)) {
      return fail();
    }
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || port.size() > 5 || ec != std::errc() || end != port.data() + port.size() ||
      value < 1 || value > 65535) {
    return fail();
  }
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(value)};
}

std::vector<SettingName> setting_names() {
  std::vector<SettingName> names;
  for (const config_internal::Field& f : config_internal::fields()) {
    names.push_back({f.path(), f.env_name()});
  }
  return names;
}

namespace config_internal {

void validate(Config& config, const Origins& origins, Problems& out) {
  for (const Field& f : fields()) {
    const std::string path = f.path();
    if (f.is_string()) {
      if (f.check != nullptr) {
        if (const char* why = f.check(load_string(f, config)); why != nullptr) {
          add_problem(out, origins, path, "config_invalid", path + " " + why);
        }
      }
      continue;
    }
    std::uint64_t v = load_integer(f, config);
    if (v < f.min || v > f.max) {
      add_problem(out, origins, path, "config_invalid", path + " " + integer_requirement(f));
    }
  }
  if (config.hsm.token_label.empty() && config.hsm.token_uri.empty()) {
    add_problem(out, origins, "hsm.token_label", "config_invalid",
                "hsm.token_label or hsm.token_uri must be set to choose the HSM token");
  }
  if (config.hsm.pin_file.empty() && config.hsm.pin_env.empty()) {
    add_problem(out, origins, "hsm.pin_file", "config_invalid",
                "hsm.pin_file or hsm.pin_env must be set to say where the HSM PIN is");
  }
}

}  // namespace config_internal

}  // namespace seald
