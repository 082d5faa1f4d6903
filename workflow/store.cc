#include "workflow/store.h"

#include <algorithm>
#include <map>

#include "workflow/record_codec.h"
#include "workflow/validation.h"

namespace seald::workflow {
namespace {

constexpr std::string_view kSeqKey = "seald:wf:seq";
constexpr std::string_view kAppPrefix = "seald:wf:app:";
constexpr std::string_view kNamePrefix = "seald:wf:name:";

// KEYS: [1] id counter, then nc name claims, nr name releases, nzr index
// removals, nza index additions. ARGV: [1] record key prefix, [2] id ('' =
// allocate one), [3] expected version, [4..7] nc nr nzr nza, [8] history entry,
// [9..] record field/value pairs. Every check comes before the first write,
// so a refusal leaves Redis untouched. The record and history keys derive from
// the id, which a creation only knows once the checks passed; one Redis (no
// cluster) makes that safe.
constexpr std::string_view kCommitScript = R"lua(
local prefix, id = ARGV[1], ARGV[2]
if id ~= '' then
  local cur = redis.call('HGET', prefix .. id, 'version')
  if cur ~= ARGV[3] then return {'version_conflict', cur or ''} end
end
local nc, nr = tonumber(ARGV[4]), tonumber(ARGV[5])
local nzr, nza = tonumber(ARGV[6]), tonumber(ARGV[7])
for i = 2, 1 + nc do
  local held = redis.call('GET', KEYS[i])
  if held and (id == '' or held ~= 'application:' .. id) then return {'name_taken', held} end
end
if id == '' then id = tostring(redis.call('INCR', KEYS[1])) end
local owner = 'application:' .. id
for i = 2, 1 + nc do redis.call('SET', KEYS[i], owner) end
local k = 2 + nc
for i = k, k + nr - 1 do
  if redis.call('GET', KEYS[i]) == owner then redis.call('DEL', KEYS[i]) end
end
k = k + nr
for i = k, k + nzr - 1 do redis.call('ZREM', KEYS[i], id) end
k = k + nzr
for i = k, k + nza - 1 do redis.call('ZADD', KEYS[i], id, id) end
local key = prefix .. id
redis.call('DEL', key)
redis.call('HSET', key, 'id', id, unpack(ARGV, 9))
redis.call('RPUSH', key .. ':history', ARGV[8])
return {'ok', id}
)lua";

// KEYS: [1] record, [2] pending-effects index. ARGV: [1] now, [2] id.
constexpr std::string_view kEffectAppliedScript = R"lua(
if redis.call('HGET', KEYS[1], 'effect') ~= 'pending' then return 0 end
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'effect', 'applied', 'updated_at', ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
)lua";

// KEYS: [1] name claim. ARGV: [1] expected holder, [2] new holder ('' = release).
constexpr std::string_view kMoveClaimScript = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1
)lua";

std::string app_key(std::string_view id) {
  return std::string(kAppPrefix) + std::string(id);
}

std::string name_claim_key(std::string_view normalised) {
  return std::string(kNamePrefix) + std::string(normalised);
}

// A `new` application holds its name from creation until it is withdrawn, or
// until the seal component takes the claim over when the seal is made.
std::string name_key_of(const Application& app) {
  if (app.kind != Kind::new_seal || app.state == State::withdrawn) {
    return {};
  }
  return normalise_seal_name(app.form.seal_name);
}

std::vector<std::string> index_keys(const Application& app) {
  std::vector<std::string> keys{
      ApplicationStore::applicant_index(app.applicant_id, std::nullopt, std::nullopt),
      ApplicationStore::applicant_index(app.applicant_id, app.kind, std::nullopt),
      ApplicationStore::applicant_index(app.applicant_id, std::nullopt, app.state),
      ApplicationStore::applicant_index(app.applicant_id, app.kind, app.state),
      ApplicationStore::org_index(app.form.org_id),
      ApplicationStore::state_index(app.state),
  };
  if (app.state == State::pending_review) {
    keys.push_back(ApplicationStore::review_index(app.form.approving_org_id));
  }
  if (app.effect == EffectStatus::pending) {
    keys.push_back(ApplicationStore::effects_pending_index());
  }
  return keys;
}

std::vector<std::string> minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& k : a) {
    if (std::find(b.begin(), b.end(), k) == b.end()) {
      out.push_back(k);
    }
  }
  return out;
}

std::string reply_string(const redisReply* r) {
  return r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS
             ? std::string(r->str, r->len)
             : std::string();
}

std::map<std::string, std::string> to_map(const redisReply* r) {
  std::map<std::string, std::string> m;
  for (std::size_t i = 0; i + 1 < r->elements; i += 2) {
    m.emplace(reply_string(r->element[i]), reply_string(r->element[i + 1]));
  }
  return m;
}

Status check_replies(const std::vector<redis::ReplyPtr>& replies) {
  for (const auto& r : replies) {
    if (r->type == REDIS_REPLY_ERROR) {
      return make_error("redis_error", std::string(r->str, r->len));
    }
  }
  return {};
}

}  // namespace

std::string ApplicationStore::applicant_index(std::string_view applicant_id,
                                              std::optional<Kind> kind,
                                              std::optional<State> state) {
  std::string key = "seald:wf:idx:applicant:" + std::string(applicant_id);
  if (kind) {
    key += ":kind:" + std::string(to_string(*kind));
  }
  if (state) {
    key += ":state:" + std::string(to_string(*state));
  }
  return key;
}

std::string ApplicationStore::org_index(std::string_view org_id) {
  return "seald:wf:idx:org:" + std::string(org_id);
}

std::string ApplicationStore::state_index(State state) {
  return "seald:wf:idx:state:" + std::string(to_string(state));
}

std::string ApplicationStore::review_index(std::string_view approving_org_id) {
  return "seald:wf:idx:review:" + std::string(approving_org_id);
}

std::string ApplicationStore::effects_pending_index() {
  return "seald:wf:idx:effects_pending";
}

Result<Application> ApplicationStore::insert(Application app, const HistoryEntry& entry) {
  app.id.clear();
  return commit(nullptr, std::move(app), entry);
}

Result<Application> ApplicationStore::update(const Application& before, Application after,
                                             const HistoryEntry& entry) {
  return commit(&before, std::move(after), entry);
}

Result<Application> ApplicationStore::commit(const Application* before, Application after,
                                             const HistoryEntry& entry) {
  std::string new_name = name_key_of(after);
  std::string old_name = before ? name_key_of(*before) : std::string();
  std::vector<std::string> claims;
  std::vector<std::string> releases;
  if (!new_name.empty() && new_name != old_name) {
    claims.push_back(name_claim_key(new_name));
  }
  if (!old_name.empty() && old_name != new_name) {
    releases.push_back(name_claim_key(old_name));
  }
  auto new_idx = index_keys(after);
  auto old_idx = before ? index_keys(*before) : std::vector<std::string>{};
  auto removals = minus(old_idx, new_idx);
  auto additions = minus(new_idx, old_idx);

  std::string expected = before ? std::to_string(before->version) : std::string();
  std::string counts[4] = {std::to_string(claims.size()), std::to_string(releases.size()),
                           std::to_string(removals.size()), std::to_string(additions.size())};
  std::string num_keys =
      std::to_string(1 + claims.size() + releases.size() + removals.size() + additions.size());
  std::string history = encode_history(entry);
  FieldList fields = encode_application(after, new_name);
  std::string id = before ? before->id : std::string();

  std::vector<std::string_view> args{"EVAL", kCommitScript, num_keys, kSeqKey};
  for (const auto* group : {&claims, &releases, &removals, &additions}) {
    args.insert(args.end(), group->begin(), group->end());
  }
  args.insert(args.end(),
              {kAppPrefix, id, expected, counts[0], counts[1], counts[2], counts[3], history});
  for (const auto& [f, v] : fields) {
    args.push_back(f);
    args.push_back(v);
  }

  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command(args);
  if (!reply) {
    return reply.error();
  }
  if (reply->type() != REDIS_REPLY_ARRAY || reply->size() != 2) {
    return make_error("redis_error", "unexpected reply from the workflow commit script");
  }
  std::string status = reply_string(reply->element(0));
  std::string detail = reply_string(reply->element(1));
  if (status == "version_conflict") {
    return make_error("application_version_conflict",
                      "application " + id + " changed (now version " + detail + "); reload it");
  }
  if (status == "name_taken") {
    return make_error("seal_name_taken",
                      "the seal name \"" + after.form.seal_name + "\" is already in use");
  }
  after.id = detail;
  return after;
}

Result<Application> ApplicationStore::load(std::string_view id) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"HGETALL", app_key(id)});
  if (!reply) {
    return reply.error();
  }
  if (reply->size() == 0) {
    return make_error("application_not_found", "no application " + std::string(id));
  }
  return decode_application(to_map(reply->raw()));
}

Result<std::vector<HistoryEntry>> ApplicationStore::history(std::string_view id) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto replies = (*lease)->pipeline(
      {{"EXISTS", app_key(id)}, {"LRANGE", app_key(id) + ":history", "0", "-1"}});
  if (!replies) {
    return replies.error();
  }
  if (auto s = check_replies(*replies); !s) {
    return s.error();
  }
  if ((*replies)[0]->integer == 0) {
    return make_error("application_not_found", "no application " + std::string(id));
  }
  std::vector<HistoryEntry> out;
  const redisReply* list = (*replies)[1].get();
  for (std::size_t i = 0; i < list->elements; ++i) {
    auto e = decode_history(reply_string(list->element[i]));
    if (!e) {
      return e.error();
    }
    out.push_back(std::move(*e));
  }
  return out;
}

Result<Page> ApplicationStore::list(const std::string& index_key, std::size_t offset,
                                    std::size_t limit) {
  limit = std::min(limit, kMaxPageSize);
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string start = std::to_string(offset);
  std::string stop = std::to_string(offset + limit - 1);
  std::vector<std::vector<std::string_view>> cmds{{"ZCARD", index_key}};
  if (limit > 0) {
    cmds.push_back({"ZREVRANGE", index_key, start, stop});
  }
  auto replies = (*lease)->pipeline(cmds);
  if (!replies) {
    return replies.error();
  }
  if (auto s = check_replies(*replies); !s) {
    return s.error();
  }
  Page page;
  page.total = (*replies)[0]->integer;
  if (limit == 0 || (*replies)[1]->elements == 0) {
    return page;
  }
  const redisReply* ids = (*replies)[1].get();
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < ids->elements; ++i) {
    keys.push_back(app_key(reply_string(ids->element[i])));
  }
  std::vector<std::vector<std::string_view>> gets;
  for (const auto& k : keys) {
    gets.push_back({"HGETALL", k});
  }
  auto records = (*lease)->pipeline(gets);
  if (!records) {
    return records.error();
  }
  if (auto s = check_replies(*records); !s) {
    return s.error();
  }
  for (const auto& r : *records) {
    auto app = decode_application(to_map(r.get()));
    if (!app) {
      return app.error();
    }
    page.items.push_back(std::move(*app));
  }
  return page;
}

Result<bool> ApplicationStore::mark_effect_applied(const Application& app, std::int64_t now_ms) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string now = std::to_string(now_ms);
  auto reply = (*lease)->command(
      {"EVAL", kEffectAppliedScript, "2", app_key(app.id), effects_pending_index(), now, app.id});
  if (!reply) {
    return reply.error();
  }
  return reply->integer() == 1;
}

Result<std::optional<std::string>> ApplicationStore::name_owner(std::string_view seal_name) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"GET", name_claim_key(normalise_seal_name(seal_name))});
  if (!reply) {
    return reply.error();
  }
  if (reply->is_nil()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(std::string(reply->str()));
}

Status ApplicationStore::move_claim(std::string_view seal_name, const std::string& from,
                                    const std::string& to) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command(
      {"EVAL", kMoveClaimScript, "1", name_claim_key(normalise_seal_name(seal_name)), from, to});
  if (!reply) {
    return reply.error();
  }
  if (reply->integer() != 1) {
    return make_error("name_not_claimed",
                      "the seal name \"" + std::string(seal_name) + "\" is not held by " + from);
  }
  return {};
}

}  // namespace seald::workflow
