#include "audit/stream_codec.h"

#include <string_view>

namespace seald::audit {
namespace {

constexpr std::string_view kDetailPrefix = "d.";

std::string text(const redisReply* r) {
  return r != nullptr && r->str != nullptr ? std::string(r->str, r->len) : std::string();
}

}  // namespace

std::vector<std::string> encode_fields(const Record& r) {
  std::vector<std::string> f{"t",      std::to_string(r.time_ms),
                             "actor",  r.actor,
                             "action", r.action,
                             "target", r.target,
                             "result", r.result,
                             "rid",    r.request_id,
                             "client", r.client,
                             "prev",   r.prev_hash,
                             "hash",   r.hash};
  for (const auto& [k, v] : r.details) {
    f.push_back(std::string(kDetailPrefix) + k);
    f.push_back(v);
  }
  return f;
}

Record decode_entry(const redisReply* entry) {
  Record r;
  if (entry == nullptr || entry->type != REDIS_REPLY_ARRAY || entry->elements != 2) {
    return r;
  }
  r.id = text(entry->element[0]);
  const redisReply* fields = entry->element[1];
  for (std::size_t i = 0; i + 1 < fields->elements; i += 2) {
    std::string name = text(fields->element[i]);
    std::string value = text(fields->element[i + 1]);
    if (name == "t") {
      try {
        r.time_ms = std::stoll(value);
      } catch (...) {
        r.time_ms = -1;  // a tampered time still fails the hash check
      }
    } else if (name == "actor") {
      r.actor = std::move(value);
    } else if (name == "action") {
      r.action = std::move(value);
    } else if (name == "target") {
      r.target = std::move(value);
    } else if (name == "result") {
      r.result = std::move(value);
    } else if (name == "rid") {
      r.request_id = std::move(value);
    } else if (name == "client") {
      r.client = std::move(value);
    } else if (name == "prev") {
      r.prev_hash = std::move(value);
    } else if (name == "hash") {
      r.hash = std::move(value);
    } else if (name.starts_with(kDetailPrefix)) {
      r.details.emplace_back(name.substr(kDetailPrefix.size()), std::move(value));
    } else {
      // An unknown field is part of no hash: keep it visible so it breaks verification.
      r.details.emplace_back("?" + name, std::move(value));
    }
  }
  return r;
}

bool matches(const Filter& filter, const Record& r) {
  if (!filter.actor.empty() && r.actor != filter.actor) {
    return false;
  }
  if (!filter.target.empty() && r.target != filter.target) {
    return false;
  }
  if (!filter.action.empty()) {
    bool prefix = filter.action.back() == '.';
    if (prefix ? !r.action.starts_with(filter.action) : r.action != filter.action) {
      return false;
    }
  }
  return true;
}

}  // namespace seald::audit
