#pragma once

// The server's open connections, so shutdown can reach them: first to ask
// each to finish its in-flight requests and close, then, when the grace
// period is over, to close whatever is left. Connections register when they
// start and leave in their destructor; the lock is taken per connection, never
// per request.

#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace seald::server {

class Connection {
 public:
  // Both are safe from any thread; the work happens on the connection's strand.
  // Stop reading new requests, answer those already read, then close.
  virtual void drain() = 0;
  // Close now.
  virtual void force_close() = 0;

 protected:
  ~Connection() = default;
};

class ConnectionSet {
 public:
  void add(const std::shared_ptr<Connection>& connection);
  void remove(const Connection* connection);
  std::size_t size() const;
  // The connections still alive, for drain() or force_close() outside the lock.
  std::vector<std::shared_ptr<Connection>> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> connections_;
};

}  // namespace seald::server
