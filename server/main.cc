// seald: loads the configuration, opens the HSM token and Redis, and serves
// HTTP until SIGINT/SIGTERM. Start-up failures exit non-zero with one clear
// line; nothing printed here or logged ever carries a secret.

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "config/config.h"
#include "core/log.h"
#include "hsm/module.h"
#include "hsm/token.h"
#include "metrics/registry.h"
#include "redis/pool.h"
#include "server/readiness_monitor.h"
#include "server/router.h"
#include "server/server.h"

namespace {

constexpr const char* kUsage =
    "usage: seald [--config FILE]\n"
    "\n"
    "Serves the seald HTTP API. The configuration file (TOML) is described in\n"
    "config/seald.example.toml; SEALD_CONFIG names it when --config is not given,\n"
    "and SEALD_* environment variables override its keys.\n";

struct Args {
  std::string config_path;
};

// Returns nullopt after printing usage (for --help) or an error.
std::optional<Args> parse_args(int argc, char** argv, int* exit_code) {
  Args args;
  if (const char* env = std::getenv("SEALD_CONFIG")) {
    args.config_path = env;
  }
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      *exit_code = 0;
      return std::nullopt;
    }
    if (a == "--config" && i + 1 < argc) {
      args.config_path = argv[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      args.config_path = a.substr(9);
    } else {
      std::cerr << "seald: unknown argument '" << a << "'\n" << kUsage;
      *exit_code = 2;
      return std::nullopt;
    }
  }
  return args;
}

// The PIN is read when a login needs it and wiped right after. From a file it
// is re-read each time; from the environment it is read once and the variable
// is removed, so child processes cannot inherit it.
seald::hsm::PinSource make_pin_source(const seald::HsmConfig& hsm) {
  if (!hsm.pin_file.empty()) {
    return [hsm] { return seald::load_hsm_pin(hsm); };
  }
  auto pin = seald::load_hsm_pin(hsm);
  ::unsetenv(hsm.pin_env.c_str());
  if (!pin) {
    return [error = pin.error()]() -> seald::Result<seald::Secret> { return error; };
  }
  auto kept = std::make_shared<const seald::Secret>(std::move(*pin));
  return [kept]() -> seald::Result<seald::Secret> { return *kept; };
}

seald::Result<seald::redis::Endpoint> redis_endpoint(const seald::RedisConfig& redis) {
  seald::redis::Endpoint endpoint;
  endpoint.host = redis.host;
  endpoint.port = redis.port;
  endpoint.connect_timeout = std::chrono::milliseconds(redis.connect_timeout_ms);
  endpoint.command_timeout = std::chrono::milliseconds(redis.command_timeout_ms);
  auto password = seald::load_redis_password(redis);
  if (!password) {
    return password.error();
  }
  endpoint.password = std::move(*password);
  return endpoint;
}

int fail(const char* what, const seald::Error& e) {
  spdlog::critical("{}: {} ({})", what, e.message, e.code);
  return 1;
}

int serve(const seald::Config& config) {
  spdlog::info("seald starting (config: data_dir={}, hsm module={}, redis={}:{})", config.data_dir,
               config.hsm.module, config.redis.host, config.redis.port);

  auto module = seald::hsm::Module::load(config.hsm.module);
  if (!module) {
    return fail("cannot load the PKCS#11 module", module.error());
  }
  auto selector = config.hsm.token_uri.empty()
                      ? seald::hsm::TokenSelector::by_label(config.hsm.token_label)
                      : seald::hsm::TokenSelector::by_uri(config.hsm.token_uri);
  auto token = seald::hsm::Token::open(*module, selector, make_pin_source(config.hsm));
  if (!token) {
    return fail("cannot open the HSM token", token.error());
  }
  spdlog::info("HSM: logged in to {}", selector.describe());

  auto endpoint = redis_endpoint(config.redis);
  if (!endpoint) {
    return fail("cannot read the Redis password", endpoint.error());
  }
  // Redis may come up after us; readiness reports it until it does.
  auto redis = std::make_shared<seald::redis::Pool>(std::move(*endpoint), config.redis.pool_size);

  seald::metrics::Registry registry;
  seald::server::ReadinessMonitor readiness({{"hsm", [token = *token] { return token->check(); }},
                                             {"redis", [redis] { return redis->ping(); }}},
                                            std::chrono::milliseconds(500));

  seald::server::Router router;
  auto server =
      seald::server::Server::create(config.server, std::move(router), registry, readiness.checks());
  if (!server) {
    return fail("invalid server configuration", server.error());
  }
  if (auto started = (*server)->start(); !started) {
    return fail("cannot listen", started.error());
  }
  (*server)->run_until_signal();
  spdlog::info("seald stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  auto args = parse_args(argc, argv, &exit_code);
  if (!args) {
    return exit_code;
  }
  auto config = seald::load_config(args->config_path, seald::process_environment());
  if (!config) {
    std::cerr << "seald: " << config.error().message << "\n";
    return 2;
  }
  if (auto logging = seald::init_logging(config->log); !logging) {
    std::cerr << "seald: " << logging.error().message << "\n";
    return 2;
  }
  return serve(*config);
}
