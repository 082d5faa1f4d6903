#pragma once

// A bounded pool of Redis connections for the management paths. A lease
// returns its connection on destruction unless the connection broke, in which
// case it and every idle connection are dropped and the next acquire connects
// afresh — so the pool heals by itself after a Redis restart, failing at most
// the calls already holding a connection when it went.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "redis/connection.h"

namespace seald::redis {

class Pool;

class Lease {
 public:
  Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
  Lease(Lease&&) = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  Connection* operator->() const { return conn_.get(); }
  Connection& operator*() const { return *conn_; }

 private:
  Pool* pool_;
  std::unique_ptr<Connection> conn_;
};

class Pool {
 public:
  Pool(Endpoint endpoint, unsigned size);

  // Waits (up to the connect timeout) for a free connection, connecting one
  // if the pool has room. Fails with redis_unavailable when Redis is down.
  Result<Lease> acquire();

  // PING through the pool: the readiness check.
  Status ping();

 private:
  friend class Lease;
  void release(std::unique_ptr<Connection> conn);

  Endpoint endpoint_;
  unsigned size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  unsigned open_ = 0;  // connections in idle_ or leased
};

}  // namespace seald::redis
