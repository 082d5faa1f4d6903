#include "audit/log.h"

#include <string_view>

#include "audit/stream_codec.h"

namespace seald::audit {
namespace {

// KEYS: head, stream. ARGV: expected head, genesis, new head, record count,
// then per record its field count and fields. Returns {1, ids...} or, when
// the head moved, {0, current head}.
constexpr std::string_view kAppendScript = R"lua(
local cur = redis.call('GET', KEYS[1]) or ARGV[2]
if cur ~= ARGV[1] then return {0, cur} end
local n = tonumber(ARGV[4])
local at = 5
local out = {1}
for _ = 1, n do
  local count = tonumber(ARGV[at])
  local fields = {}
  for i = 1, count do fields[i] = ARGV[at + i] end
  out[#out + 1] = redis.call('XADD', KEYS[2], '*', unpack(fields))
  at = at + count + 1
end
redis.call('SET', KEYS[1], ARGV[3])
return out
)lua";

constexpr int kMaxRelinks = 16;
constexpr std::size_t kScanBudget = 10'000;

Error unavailable(const Error& cause) {
  return make_error("audit_unavailable", "audit log not written: " + cause.message);
}

void link(std::vector<Record>& records, std::string prev) {
  for (auto& r : records) {
    r.prev_hash = std::move(prev);
    r.hash = compute_hash(r);
    prev = r.hash;
  }
}

}  // namespace

AuditLog::AuditLog(redis::Pool& pool, Durability durability)
    : pool_(pool), durability_(durability) {}

Result<std::string> AuditLog::read_head(redis::Connection& conn) {
  auto head = conn.command({"GET", kHeadKey});
  if (!head) {
    return head.error();
  }
  return head->is_nil() ? kGenesisHash : std::string(head->str());
}

Status AuditLog::append(Record& record) {
  std::vector<Record> batch{record};
  auto status = append(batch);
  if (status) {
    record = std::move(batch.front());
  }
  return status;
}

Status AuditLog::append(std::vector<Record>& records) {
  if (records.empty()) {
    return {};
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return unavailable(lease.error());
  }
  auto head = read_head(**lease);
  if (!head) {
    return unavailable(head.error());
  }
  std::string expected = *head;
  for (int attempt = 0; attempt < kMaxRelinks; ++attempt) {
    link(records, expected);
    std::vector<std::vector<std::string>> encoded;
    encoded.reserve(records.size());
    for (const auto& r : records) {
      encoded.push_back(encode_fields(r));
    }
    std::string count = std::to_string(records.size());
    std::vector<std::string> counts;
    counts.reserve(encoded.size());
    for (const auto& e : encoded) {
      counts.push_back(std::to_string(e.size()));
    }
    std::vector<std::string_view> args{"EVAL",       kAppendScript,       "2",
                                       kHeadKey,     kStreamKey,          expected,
                                       kGenesisHash, records.back().hash, count};
    for (std::size_t i = 0; i < encoded.size(); ++i) {
      args.push_back(counts[i]);
      args.insert(args.end(), encoded[i].begin(), encoded[i].end());
    }
    auto reply = (*lease)->command(args);
    if (!reply) {
      return unavailable(reply.error());
    }
    const redisReply* raw = reply->raw();
    if (raw->type != REDIS_REPLY_ARRAY || raw->elements < 2) {
      return make_error("audit_unavailable", "unexpected reply from the audit append script");
    }
    if (raw->element[0]->integer == 0) {
      expected.assign(raw->element[1]->str, raw->element[1]->len);  // another node appended
      continue;
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
      records[i].id.assign(raw->element[i + 1]->str, raw->element[i + 1]->len);
    }
    if (durability_.wait_for_replicas) {
      auto acked = (*lease)->command({"WAIT", std::to_string(durability_.replicas),
                                      std::to_string(durability_.wait_timeout.count())});
      if (!acked) {
        return unavailable(acked.error());
      }
      if (acked->integer() < static_cast<long long>(durability_.replicas)) {
        return make_error("audit_unavailable", "audit record not acknowledged by " +
                                                   std::to_string(durability_.replicas) +
                                                   " replica(s) in time");
      }
    }
    return {};
  }
  return make_error("audit_unavailable", "the audit chain kept moving; giving up this append");
}

Result<Page> AuditLog::list(const Filter& filter, const std::string& cursor, std::size_t limit) {
  auto lease = pool_.acquire();
  if (!lease) {
    return unavailable(lease.error());
  }
  Page page;
  std::string from = cursor.empty() ? "+" : "(" + cursor;
  std::size_t scanned = 0;
  while (page.records.size() < limit && scanned < kScanBudget) {
    auto reply = (*lease)->command({"XREVRANGE", kStreamKey, from, "-", "COUNT", "200"});
    if (!reply) {
      return unavailable(reply.error());
    }
    if (reply->size() == 0) {
      page.next_cursor.clear();
      return page;
    }
    for (std::size_t i = 0; i < reply->size(); ++i) {
      auto record = decode_entry(reply->element(i));
      ++scanned;
      page.next_cursor = record.id;
      if (filter.to_ms != 0 && record.time_ms > filter.to_ms) {
        continue;
      }
      if (record.time_ms < filter.from_ms) {
        page.next_cursor.clear();  // older records are older still
        return page;
      }
      if (matches(filter, record)) {
        page.records.push_back(std::move(record));
        if (page.records.size() == limit) {
          return page;
        }
      }
    }
    from = "(" + page.next_cursor;
  }
  return page;
}

Result<Verification> AuditLog::verify() {
  auto lease = pool_.acquire();
  if (!lease) {
    return unavailable(lease.error());
  }
  Verification v;
  std::string expected = kGenesisHash;
  std::string from = "-";
  while (true) {
    auto reply = (*lease)->command({"XRANGE", kStreamKey, from, "+", "COUNT", "500"});
    if (!reply) {
      return unavailable(reply.error());
    }
    if (reply->size() == 0) {
      break;
    }
    for (std::size_t i = 0; i < reply->size(); ++i) {
      Record r = decode_entry(reply->element(i));
      std::string stored_hash = r.hash;
      if (r.prev_hash != expected) {
        return Verification{false, v.checked, r.id, "its link does not match the record before it"};
      }
      if (compute_hash(r) != stored_hash) {
        return Verification{false, v.checked, r.id, "its content does not match its hash"};
      }
      expected = stored_hash;
      ++v.checked;
      from = "(" + r.id;
    }
  }
  auto head = read_head(**lease);
  if (!head) {
    return unavailable(head.error());
  }
  if (*head != expected) {
    return Verification{false, v.checked, "(end)",
                        "the chain head does not match the last record: records are missing"};
  }
  return v;
}

}  // namespace seald::audit
