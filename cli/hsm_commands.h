#pragma once

// `sealdctl hsm ...`: setting up a token and looking at its keys.

#include <ostream>
#include <string>
#include <vector>

namespace seald::cli {

// args: what follows `sealdctl hsm`. Returns the exit status: 0 done, 1 the
// command failed, 2 the command line was wrong.
int run_hsm_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

void print_hsm_usage(std::ostream& out);

}  // namespace seald::cli
