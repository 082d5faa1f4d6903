#pragma once

// Logging set-up. Components log through spdlog's default logger; this sets
// its sink, level and format once at start. Nothing secret is ever passed to
// a log call: Secret has no formatter, so trying does not compile.

#include <string>

#include "core/error.h"

namespace seald {

struct LogOptions {
  std::string level = "info";  // trace, debug, info, warn, error, critical, off
  std::string file;            // empty: stderr

  friend bool operator==(const LogOptions&, const LogOptions&) = default;
};

Status init_logging(const LogOptions& options);

}  // namespace seald
