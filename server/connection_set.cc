#include "server/connection_set.h"

namespace seald::server {

void ConnectionSet::add(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  connections_.emplace(connection.get(), connection);
}

void ConnectionSet::remove(const Connection* connection) {
  std::lock_guard lock(mutex_);
  connections_.erase(connection);
}

std::size_t ConnectionSet::size() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

std::vector<std::shared_ptr<Connection>> ConnectionSet::snapshot() const {
  std::vector<std::shared_ptr<Connection>> alive;
  std::lock_guard lock(mutex_);
  alive.reserve(connections_.size());
  for (const auto& [key, weak] : connections_) {
    if (auto strong = weak.lock()) {
      alive.push_back(std::move(strong));
    }
  }
  return alive;
}

}  // namespace seald::server
