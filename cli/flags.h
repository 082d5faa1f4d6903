#pragma once

// The command line of one sealdctl command: `--name value` or `--name=value`
// flags from a known set, and `--help`. Nothing positional.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"

namespace seald::cli {

class Flags {
 public:
  // Error usage_invalid for an unknown flag, a missing value, a repeated
  // flag or a positional argument.
  static Result<Flags> parse(const std::vector<std::string>& args,
                             const std::set<std::string>& known);

  bool help() const { return help_; }
  std::optional<std::string> get(const std::string& name) const;
  // Error usage_invalid naming the flag when it is absent.
  Result<std::string> required(const std::string& name) const;

 private:
  bool help_ = false;
  std::map<std::string, std::string> values_;
};

}  // namespace seald::cli
