#pragma once

// `sealdctl audit ...`: checking the audit log's hash chain from outside the
// service, with the same configuration file seald reads.

#include <ostream>
#include <string>
#include <vector>

namespace seald::cli {

// args: what follows `sealdctl audit`. Returns the exit status. For verify:
// 0 the chain is intact, 1 it is broken, 2 it could not be checked (wrong
// command line or configuration, Redis unreachable or refusing us).
int run_audit_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

void print_audit_usage(std::ostream& out);

}  // namespace seald::cli
