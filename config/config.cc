#include "config/config.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <sstream>

#include "config/fields.h"

namespace seald {

namespace {

// The parse stages are written not to throw; this is the promise that
// nothing (not even bad_alloc) escapes the config API anyway.
template <class F>
auto no_throw(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return make_error("config_internal", std::string("cannot load configuration: ") + e.what());
  }
}

}  // namespace

Result<Config> parse_config(const std::string& toml_text, const std::string& source_name,
                            const Environment& env) {
  return no_throw([&]() -> Result<Config> {
    using namespace config_internal;
    Config config;
    Origins origins;
    Problems problems;
    read_toml(toml_text, source_name, config, origins, problems);
    if (problems.empty()) {
      apply_environment(env, config, origins, problems);
    }
    if (!problems.empty()) {
      return to_error(std::move(problems));
    }
    if (!config.hsm.token_uri.empty()) {
      config.hsm.token_label.clear();
    }
    validate(config, origins, problems);
    if (!problems.empty()) {
      return to_error(std::move(problems));
    }
    return config;
  });
}

Result<Config> load_config(const std::string& path, const Environment& env) {
  if (path.empty()) {
    return parse_config("", "(defaults)", env);
  }
  return no_throw([&]() -> Result<Config> {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      return make_error("config_file_unreadable",
                        "cannot read config file " + path + ": " + std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
      return make_error("config_file_unreadable", "config file " + path + " is not a regular file");
    }
    // The file names the PKCS#11 module seald loads, so whoever can write it
    // can run code in the signing service.
    if ((st.st_mode & S_IWOTH) != 0) {
      return make_error("config_file_mode",
                        "config file " + path + " is writable by others; chmod o-w it");
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (in) {
      text << in.rdbuf();
    }
    if (!in || in.bad()) {
      return make_error("config_file_unreadable",
                        "cannot read config file " + path + ": " + std::strerror(errno));
    }
    return parse_config(text.str(), path, env);
  });
}

Result<Secret> load_hsm_pin(const HsmConfig& hsm) {
  if (!hsm.pin_file.empty()) {
    Result<Secret> pin = Secret::from_file(hsm.pin_file);
    if (!pin) {
      return make_error(pin.error().code, "HSM PIN (hsm.pin_file): " + pin.error().message);
    }
    return pin;
  }
  if (!hsm.pin_env.empty()) {
    Result<Secret> pin = Secret::from_env(hsm.pin_env.c_str());
    if (!pin) {
      return make_error(pin.error().code, "HSM PIN (hsm.pin_env): " + pin.error().message +
                                              "; set it, or name a 0600 file in hsm.pin_file");
    }
    return pin;
  }
  return make_error("secret_missing", "HSM PIN: neither hsm.pin_file nor hsm.pin_env is set");
}

Result<std::optional<Secret>> load_redis_password(const RedisConfig& redis) {
  if (redis.password_file.empty()) {
    return std::optional<Secret>();
  }
  Result<Secret> password = Secret::from_file(redis.password_file);
  if (!password) {
    return make_error(password.error().code,
                      "Redis password (redis.password_file): " + password.error().message);
  }
  return std::optional<Secret>(std::move(*password));
}

}  // namespace seald
