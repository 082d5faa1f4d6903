#pragma once

// The Redis endpoint a configuration describes (address, timeouts and the
// password read from its file), built the same way by seald and sealdctl.

#include "config/config.h"
#include "core/error.h"
#include "redis/connection.h"

namespace seald {

// Errors: those of load_redis_password.
Result<redis::Endpoint> redis_endpoint(const RedisConfig& redis);

}  // namespace seald
