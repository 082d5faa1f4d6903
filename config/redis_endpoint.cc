#include "config/redis_endpoint.h"

namespace seald {

Result<redis::Endpoint> redis_endpoint(const RedisConfig& redis) {
  redis::Endpoint endpoint;
  endpoint.host = redis.host;
  endpoint.port = redis.port;
  endpoint.connect_timeout = std::chrono::milliseconds(redis.connect_timeout_ms);
  endpoint.command_timeout = std::chrono::milliseconds(redis.command_timeout_ms);
  auto password = load_redis_password(redis);
  if (!password) {
    return password.error();
  }
  endpoint.password = std::move(*password);
  return endpoint;
}

}  // namespace seald
