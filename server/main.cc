// seald: loads the configuration, opens the HSM token and Redis, and serves
// HTTP until SIGINT/SIGTERM. Start-up failures exit non-zero with one clear
// line; nothing printed here or logged ever carries a secret.

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include <spdlog/spdlog.h>

#include "config/config.h"
#include "core/log.h"
#include "server/node.h"

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
  return seald::server::run_node(*config);
}
