// sealdctl: the operator's command-line tool for seald.

#include <iostream>
#include <string>
#include <vector>

#include "cli/audit_commands.h"
#include "cli/hsm_commands.h"
#include "core/log.h"

namespace {

void print_usage(std::ostream& out) {
  out << "Usage: sealdctl <group> <command> [options]\n\n"
         "Groups:\n"
         "  hsm   set up PKCS#11 tokens and look at their keys\n"
         "        (init-token, list-keys)\n"
         "  audit check the audit log's hash chain (verify)\n\n"
         "Run `sealdctl <group> --help` for its commands. PINs and secrets are read\n"
         "from files that only their owner can read, never from the command line.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // The library logs through spdlog; keep the tool's stdout for its answers.
  (void)seald::init_logging(seald::LogOptions{"warn", ""});

  if (args.empty()) {
    print_usage(std::cerr);
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage(std::cout);
    return 0;
  }
  if (args[0] == "hsm") {
    return seald::cli::run_hsm_command({args.begin() + 1, args.end()}, std::cout, std::cerr);
  }
  if (args[0] == "audit") {
    return seald::cli::run_audit_command({args.begin() + 1, args.end()}, std::cout, std::cerr);
  }
  std::cerr << "sealdctl: unknown group '" << args[0] << "'\n\n";
  print_usage(std::cerr);
  return 2;
}
