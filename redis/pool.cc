#include "redis/pool.h"

namespace seald::redis {

Lease::~Lease() {
  if (pool_ != nullptr && conn_) {
    pool_->release(std::move(conn_));
  }
}

Pool::Pool(Endpoint endpoint, unsigned size) : endpoint_(std::move(endpoint)), size_(size) {}

Result<Lease> Pool::acquire() {
  std::unique_lock lock(mu_);
  bool got = cv_.wait_for(lock, endpoint_.connect_timeout,
                          [&] { return !idle_.empty() || open_ < size_; });
  if (!got) {
    return make_error("redis_unavailable", "no Redis connection free in the pool");
  }
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(conn));
  }
  ++open_;
  lock.unlock();
  auto conn = Connection::connect(endpoint_);
  if (!conn) {
    std::lock_guard relock(mu_);
    --open_;
    cv_.notify_one();
    return conn.error();
  }
  return Lease(this, std::move(*conn));
}

void Pool::release(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(mu_);
  if (conn->broken()) {
    // A broken connection usually means Redis restarted or failed over, so
    // the idle ones are dead too: drop them all rather than fail one call
    // per idle connection before the pool has healed.
    --open_;
    open_ -= static_cast<unsigned>(idle_.size());
    idle_.clear();
  } else {
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

Status Pool::ping() {
  auto lease = acquire();
  if (!lease) {
    return lease.error();
  }
  auto r = (*lease)->command({"PING"});
  if (!r) {
    return r.error();
  }
  return {};
}

}  // namespace seald::redis
