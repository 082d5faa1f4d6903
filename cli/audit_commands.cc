#include "cli/audit_commands.h"

#include <cstdlib>

#include "audit/log.h"
#include "cli/flags.h"
#include "config/config.h"
#include "config/redis_endpoint.h"
#include "redis/pool.h"

namespace seald::cli {
namespace {

constexpr int kIntact = 0;
constexpr int kBroken = 1;
constexpr int kUnchecked = 2;

constexpr const char* kVerifyUsage =
    R"(Usage: sealdctl audit verify [--config FILE]

Walks the whole audit chain in Redis from its first record, recomputing every
record's hash and checking every link, and reports the first record that
does not match. Redis is found through seald's configuration file (TOML; see
config/seald.example.toml), named by --config or SEALD_CONFIG; SEALD_*
environment variables override its keys, as they do for seald.

Exit status: 0 the chain is intact, 1 it is broken, 2 it could not be checked.
)";

int unchecked(std::ostream& err, const Error& error) {
  err << "sealdctl: " << error.message << " (" << error.code << ")\n";
  return kUnchecked;
}

audit::Durability durability_from(const RedisConfig& redis) {
  audit::Durability durability;
  durability.wait_for_replicas = redis.durability == "wait";
  durability.replicas = redis.wait_replicas;
  durability.wait_timeout = std::chrono::milliseconds(redis.wait_timeout_ms);
  return durability;
}

int verify(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto flags = Flags::parse(args, {"config"});
  if (!flags) {
    err << kVerifyUsage;
    return unchecked(err, flags.error());
  }
  if (flags->help()) {
    out << kVerifyUsage;
    return kIntact;
  }
  std::string config_path;
  if (const char* env = std::getenv("SEALD_CONFIG")) {
    config_path = env;
  }
  if (auto given = flags->get("config")) {
    config_path = *given;
  }
  auto config = load_config(config_path, process_environment());
  if (!config) {
    return unchecked(err, config.error());
  }
  auto endpoint = redis_endpoint(config->redis);
  if (!endpoint) {
    return unchecked(err, endpoint.error());
  }
  std::string where = endpoint->host + ":" + std::to_string(endpoint->port);
  redis::Pool pool(std::move(*endpoint), 1);
  // Checked first so that an unreachable Redis is reported as such, not as
  // a failure to write the audit log. The connection's own message names
  // host and port (never the password).
  if (auto ping = pool.ping(); !ping) {
    err << "sealdctl: audit chain not checked: " << ping.error().message << " ("
        << ping.error().code << ")\n";
    return kUnchecked;
  }
  audit::AuditLog log(pool, durability_from(config->redis));
  auto verification = log.verify();
  if (!verification) {
    err << "sealdctl: audit chain not checked: lost Redis at " << where << " while reading it ("
        << verification.error().code << ")\n";
    return kUnchecked;
  }
  if (!verification->intact) {
    out << "audit chain broken at " << verification->first_broken_id << ": " << verification->reason
        << "\n";
    return kBroken;
  }
  out << "audit chain intact: " << verification->checked << " records\n";
  return kIntact;
}

}  // namespace

void print_audit_usage(std::ostream& out) {
  out << "Usage: sealdctl audit <command> [options]\n\n"
         "Commands:\n"
         "  verify   check the audit log's hash chain end to end\n\n"
         "Run `sealdctl audit <command> --help` for a command's options.\n";
}

int run_audit_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    print_audit_usage(err);
    return kUnchecked;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_audit_usage(out);
    return kIntact;
  }
  if (args[0] == "verify") {
    return verify({args.begin() + 1, args.end()}, out, err);
  }
  err << "sealdctl: unknown command 'audit " << args[0] << "'\n\n";
  print_audit_usage(err);
  return kUnchecked;
}

}  // namespace seald::cli
