// SEALD_* overrides. A misspelt variable is an error rather than ignored: an
// operator who sets SEALD_REDIS_PROT=6380 must not get a node that quietly
// talks to 6379. No message here ever quotes a variable's value, since some
// SEALD_* variables hold secrets.

#include <unistd.h>

#include <charconv>
#include <string>
#include <string_view>

#include "config/fields.h"

namespace seald {

namespace {

constexpr std::string_view kPrefix = "SEALD_";
constexpr std::string_view kConfigVar = "SEALD_CONFIG";
constexpr std::string_view kDefaultPinVar = "SEALD_HSM_PIN";
constexpr std::string_view kListenShortcut = "SEALD_LISTEN";

const config_internal::Field* setting_for(std::string_view name) {
  if (name == kListenShortcut) {
    return config_internal::find_field("server", "listen");
  }
  return config_internal::find_field_by_env(name);
}

}  // namespace

Environment process_environment() {
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    if (!text.starts_with(kPrefix)) {
      continue;
    }
    std::size_t eq = text.find('=');
    std::string name(text.substr(0, eq));
    bool keep = setting_for(name) != nullptr || name == kConfigVar;
    env[name] = keep && eq != std::string_view::npos ? std::string(text.substr(eq + 1)) : "";
  }
  return env;
}

namespace config_internal {

namespace {

std::optional<std::uint64_t> parse_decimal(std::string_view s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

void env_problem(Problems& out, const std::string& name, std::string code, std::string text) {
  out.push_back({0, std::move(code), name + ": " + std::move(text)});
}

void apply(const Field& f, const std::string& name, const std::string& value, Config& config,
           Origins& origins, Problems& out) {
  origins[f.path()] = Origin{name, 0};
  if (f.is_string()) {
    store_string(f, config, value);
    return;
  }
  std::optional<std::uint64_t> v = parse_decimal(value);
  if (!v || !store_integer(f, config, *v)) {
    env_problem(out, name, "config_invalid", f.path() + " " + integer_requirement(f));
  }
}

std::string unknown_message(std::string_view name, const std::string& pin_env) {
  std::string text = "not a seald setting; unset it or fix its spelling";
  if (looks_like_secret(to_lower(name.substr(kPrefix.size())))) {
    text +=
        " (secrets have no settings variable: the HSM PIN is read from the variable hsm.pin_env "
        "names, now " +
        (pin_env.empty() ? std::string("none") : pin_env) +
        ", and the Redis password from the file redis.password_file)";
  }
  return text;
}

}  // namespace

void apply_environment(const Environment& env, Config& config, Origins& origins, Problems& out) {
  // The PIN variable is decided first: it must be skipped below, and it must
  // not be a setting, or the PIN would be applied as one (and could end up
  // in a validation message).
  if (auto it = env.find("SEALD_HSM_PIN_ENV"); it != env.end()) {
    apply(*find_field("hsm", "pin_env"), it->first, it->second, config, origins, out);
  }
  const std::string pin_env = config.hsm.pin_env;
  if (setting_for(pin_env) != nullptr || pin_env == kConfigVar) {
    add_problem(out, origins, "hsm.pin_env", "config_invalid",
                "hsm.pin_env names " + pin_env +
                    ", which is a seald setting; the PIN needs a variable of its own");
    return;
  }

  auto listen = env.find(std::string(kListenShortcut));
  auto server_listen = env.find("SEALD_SERVER_LISTEN");
  if (listen != env.end() && server_listen != env.end() &&
      listen->second != server_listen->second) {
    env_problem(out, "SEALD_LISTEN", "config_invalid",
                "SEALD_LISTEN and SEALD_SERVER_LISTEN are both set and disagree; set only one");
    return;
  }

  for (const auto& [name, value] : env) {
    if (!std::string_view(name).starts_with(kPrefix) || name == kConfigVar ||
        name == kDefaultPinVar || name == pin_env || name == "SEALD_HSM_PIN_ENV") {
      continue;
    }
    if (const Field* f = setting_for(name)) {
      apply(*f, name, value, config, origins, out);
    } else {
      env_problem(out, name, "config_unknown_env", unknown_message(name, pin_env));
    }
  }
}

}  // namespace config_internal

}  // namespace seald
