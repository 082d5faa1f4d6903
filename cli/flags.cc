#include "cli/flags.h"

namespace seald::cli {

Result<Flags> Flags::parse(const std::vector<std::string>& args,
                           const std::set<std::string>& known) {
  Flags flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      flags.help_ = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) {
      return make_error("usage_invalid", "unexpected argument '" + arg + "'");
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_value = true;
    }
    if (known.count(name) == 0) {
      return make_error("usage_invalid", "unknown option --" + name);
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        return make_error("usage_invalid", "--" + name + " needs a value");
      }
      value = args[++i];
    }
    if (!flags.values_.emplace(name, value).second) {
      return make_error("usage_invalid", "--" + name + " given twice");
    }
  }
  return flags;
}

std::optional<std::string> Flags::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) {
    return std::nullopt;
  }
  return it->second;
}

Result<std::string> Flags::required(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) {
    return make_error("usage_invalid", "--" + name + " is required");
  }
  return Result<std::string>(boost::system::in_place_value, it->second);
}

}  // namespace seald::cli
