#pragma once

// seald's configuration: one TOML file (config/seald.example.toml documents
// every key), then SEALD_* environment overrides. Secrets are never in the
// TOML: the file names where they are (a 0600 file) or the environment
// variable that holds them.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/log.h"
#include "core/secret.h"

namespace seald {

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";  // host:port, [v6]:port
  unsigned io_threads = 0;                // 0: one per core
  std::size_t body_limit = 1024 * 1024;   // bytes
  std::size_t header_limit = 16 * 1024;   // bytes
  unsigned header_timeout_ms = 10'000;    // to receive a whole header
  unsigned read_timeout_ms = 30'000;      // to receive a whole request
  unsigned idle_timeout_ms = 60'000;      // keep-alive idle
  unsigned shutdown_grace_ms = 10'000;    // in-flight requests at shutdown

  friend bool operator==(const ServerConfig&, const ServerConfig&) = default;
};

struct HsmConfig {
  std::string module = "/usr/lib/softhsm/libsofthsm2.so";
  // Exactly one of token_label and token_uri (RFC 7512 pkcs11: URI). A
  // token_uri takes precedence: parse_config clears token_label when it is
  // set, so a loaded Config never has both.
  std::string token_label = "seald";
  std::string token_uri;
  // Where the user PIN is: a file (mode 0600) or, if pin_file is empty, the
  // environment variable pin_env.
  std::string pin_file;
  std::string pin_env = "SEALD_HSM_PIN";

  friend bool operator==(const HsmConfig&, const HsmConfig&) = default;
};

struct RedisConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string password_file;  // empty: no AUTH
  unsigned connect_timeout_ms = 2'000;
  unsigned command_timeout_ms = 2'000;
  unsigned pool_size = 8;
  // "aof": a write counts when Redis' AOF fsync (appendfsync always) has
  // returned. "wait": also acknowledged by wait_replicas replicas (WAIT).
  std::string durability = "aof";
  unsigned wait_replicas = 1;
  unsigned wait_timeout_ms = 1'000;

  friend bool operator==(const RedisConfig&, const RedisConfig&) = default;
};

struct SigningConfig {
  // Hashes one sign request may carry.
  unsigned max_hashes = 64;
  // Lifetime of an app access token from /oauth2/token, in seconds.
  unsigned token_ttl_s = 3'600;
  // How RSA seal keys sign: "pkcs1-v1.5" or "pss" (ECDSA keys always ECDSA).
  std::string rsa_scheme = "pkcs1-v1.5";
  // Full reload of the signing caches, in ms, on top of the change notices.
  unsigned resync_interval_ms = 30'000;
  // Threads that run signing (HSM calls); 0: twice the hardware threads.
  unsigned workers = 0;
  // Each app's signing rate limit unless a system admin set its own: a
  // token bucket refilled at rate_per_s signatures a second (0: unlimited)
  // holding at most burst. A request costs one token per hash.
  unsigned rate_per_s = 1'000;
  unsigned burst = 2'000;

  friend bool operator==(const SigningConfig&, const SigningConfig&) = default;
};

struct Config {
  ServerConfig server;
  HsmConfig hsm;
  RedisConfig redis;
  SigningConfig signing;
  LogOptions log;
  std::string data_dir = "./var";
};

using Environment = std::map<std::string, std::string>;

// The process environment's SEALD_* variables. Only settings (and
// SEALD_CONFIG) keep their values; any other SEALD_* name is kept with an
// empty value, so it can still be reported as unknown but a secret such as
// SEALD_HSM_PIN is never copied out of the environment.
Environment process_environment();

// Parses TOML text (source_name is used in messages), applies env overrides,
// and validates. Errors name the key and, for file errors, the line.
Result<Config> parse_config(const std::string& toml_text, const std::string& source_name,
                            const Environment& env);

// Loads a file; an empty path means defaults plus env overrides.
Result<Config> load_config(const std::string& path, const Environment& env);

// server.listen split into its parts. host has no brackets but keeps an IPv6
// zone ("::1", "fe80::1%eth0"); it may be a name still to be resolved.
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
Result<ListenAddress> parse_listen_address(std::string_view listen);

// Every setting: its TOML key ("server.io_threads") and its environment
// variable ("SEALD_SERVER_IO_THREADS"): section by section, then data_dir.
// The shortcut SEALD_LISTEN is not listed; SEALD_DATA_DIR is data_dir's own.
struct SettingName {
  std::string key;
  std::string env;
};
std::vector<SettingName> setting_names();

// Resolves the HSM user PIN from pin_file or pin_env.
Result<Secret> load_hsm_pin(const HsmConfig& hsm);

// Resolves the Redis password, if one is configured.
Result<std::optional<Secret>> load_redis_password(const RedisConfig& redis);

}  // namespace seald
