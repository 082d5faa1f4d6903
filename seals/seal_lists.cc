// The seal lists: one applicant's seals (one sorted set, paged in Redis) and
// the seals of a set of orgs (an org seal admin's subtree: the orgs' sorted
// sets merged here, since a subtree is chosen per request).

#include <algorithm>
#include <charconv>
#include <utility>

#include "seals/seal_store.h"

namespace seald::seals {
namespace {

std::string_view as_view(const redisReply* r) {
  return r != nullptr && r->type == REDIS_REPLY_STRING ? std::string_view(r->str, r->len)
                                                       : std::string_view();
}

std::int64_t to_int(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

Result<SealPage> SealStore::list_by_applicant(std::string_view applicant_id, std::size_t offset,
                                              std::size_t limit) {
  std::vector<std::string> codes;
  SealPage page;
  {
    auto lease = pool_.acquire();
    if (!lease) {
      return lease.error();
    }
    std::string key = "seald:seals:by_applicant:" + std::string(applicant_id);
    std::string start = std::to_string(offset);
    std::string stop = std::to_string(offset + limit - 1);
    auto replies = (*lease)->pipeline({{"ZCARD", key}, {"ZREVRANGE", key, start, stop}});
    if (!replies) {
      return replies.error();
    }
    page.total = static_cast<std::size_t>((*replies)[0]->integer);
    const redisReply* range = (*replies)[1].get();
    for (std::size_t i = 0; limit > 0 && i < range->elements; ++i) {
      codes.emplace_back(as_view(range->element[i]));
    }
  }
  auto seals = load_many(codes);
  if (!seals) {
    return seals.error();
  }
  page.items = std::move(*seals);
  return page;
}

Result<SealPage> SealStore::list_by_orgs(const std::vector<std::string>& org_ids,
                                         std::size_t offset, std::size_t limit) {
  std::vector<std::pair<std::int64_t, std::string>> entries;
  if (!org_ids.empty()) {
    auto lease = pool_.acquire();
    if (!lease) {
      return lease.error();
    }
    std::vector<std::string> keys;
    for (const auto& id : org_ids) {
      keys.push_back("seald:seals:by_org:" + id);
    }
    std::vector<std::vector<std::string_view>> cmds;
    for (const auto& k : keys) {
      cmds.push_back({"ZRANGE", k, "0", "-1", "WITHSCORES"});
    }
    auto replies = (*lease)->pipeline(cmds);
    if (!replies) {
      return replies.error();
    }
    for (const auto& r : *replies) {
      for (std::size_t i = 0; i + 1 < r->elements; i += 2) {
        entries.emplace_back(to_int(as_view(r->element[i + 1])),
                             std::string(as_view(r->element[i])));
      }
    }
  }
  // Newest first; the code breaks ties so pages do not overlap.
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second > b.second;
  });
  SealPage page;
  page.total = entries.size();
  std::vector<std::string> codes;
  for (std::size_t i = offset; i < entries.size() && codes.size() < limit; ++i) {
    codes.push_back(entries[i].second);
  }
  auto seals = load_many(codes);
  if (!seals) {
    return seals.error();
  }
  page.items = std::move(*seals);
  return page;
}

}  // namespace seald::seals
