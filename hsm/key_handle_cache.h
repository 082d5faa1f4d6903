#pragma once

// One thread's cache of private-key handles by key id. It belongs to the
// thread's session, so lookups take no lock. Destroying a key bumps the
// token's generation counter; a cache that sees a new generation empties
// itself before answering, so no thread signs with a stale handle.

#include <p11-kit/pkcs11.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace seald::hsm {

struct CachedKey {
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
  CK_KEY_TYPE type = 0;
};

class KeyHandleCache {
 public:
  const CachedKey* find(std::string_view key_id, std::uint64_t generation) {
    if (generation != generation_) {
      keys_.clear();
      generation_ = generation;
    }
    auto it = keys_.find(key_id);
    return it == keys_.end() ? nullptr : &it->second;
  }

  // generation is the one read before the handle was looked up: if a key was
  // destroyed since, the entry is not kept.
  void put(std::string_view key_id, CachedKey key, std::uint64_t generation) {
    if (generation == generation_) {
      keys_.insert_or_assign(std::string(key_id), key);
    }
  }

  void erase(std::string_view key_id) {
    if (auto it = keys_.find(key_id); it != keys_.end()) {
      keys_.erase(it);
    }
  }

  void clear() { keys_.clear(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::uint64_t generation_ = 0;
  std::unordered_map<std::string, CachedKey, Hash, std::equal_to<>> keys_;
};

}  // namespace seald::hsm
