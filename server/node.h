#pragma once

// One seald node: every component built from the configuration, wired
// together, serving until SIGINT/SIGTERM. main() only parses arguments and
// loads the configuration; this is the composition root, the one place that
// sees every component.

#include "config/config.h"

namespace seald::server {

// Returns the process exit code: 0 after a graceful stop, 1 when a part
// could not be started (the reason is logged, without secrets).
int run_node(const Config& config);

}  // namespace seald::server
