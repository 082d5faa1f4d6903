#include "seals/seal_store.h"

#include "seals/seal_code.h"
#include "seals/seal_record.h"

namespace seald::seals {
namespace {

// KEYS: seal, image, by_application, all, by_applicant, by_org.
// ARGV: code, enabled_ms, svg (may be empty), then field/value pairs.
constexpr std::string_view kCreateScript = R"lua(
if redis.call('EXISTS', KEYS[3]) == 1 then return 'seal_already_made' end
if redis.call('EXISTS', KEYS[1]) == 1 then return 'seal_exists' end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
if ARGV[3] ~= '' then redis.call('SET', KEYS[2], ARGV[3]) end
redis.call('SET', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[6], ARGV[2], ARGV[1])
return 'ok'
)lua";

// KEYS as for create. ARGV: code. Only undoes a create of this very code.
constexpr std::string_view kRemoveScript = R"lua(
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[1])
return 'ok'
)lua";

std::string image_key(std::string_view code) {
  return "seald:seals:image:" + std::string(code);
}
std::string application_key(std::string_view id) {
  return "seald:seals:by_application:" + std::string(id);
}
std::string applicant_key(std::string_view id) {
  return "seald:seals:by_applicant:" + std::string(id);
}
std::string org_key(std::string_view id) {
  return "seald:seals:by_org:" + std::string(id);
}

}  // namespace

std::string seal_key(std::string_view code) {
  return "seald:seals:seal:" + std::string(code);
}

Status SealStore::create(const Seal& seal, std::string_view svg_image) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string k1 = seal_key(seal.code), k2 = image_key(seal.code),
              k3 = application_key(seal.application_id), k5 = applicant_key(seal.applicant_id),
              k6 = org_key(seal.org_id);
  std::string enabled = std::to_string(seal.enabled_ms);
  std::vector<std::string> fields = seal_record_fields(seal);
  std::vector<std::string_view> args{
      "EVAL", kCreateScript, "6", k1, k2, k3, kAllSeals, k5, k6, seal.code, enabled, svg_image};
  args.insert(args.end(), fields.begin(), fields.end());
  auto reply = (*lease)->command(args);
  if (!reply) {
    return reply.error();
  }
  if (reply->str() == "seal_already_made") {
    return make_error("seal_already_made",
                      "application " + seal.application_id + " already has its seal");
  }
  if (reply->str() == "seal_exists") {
    return make_error("seal_exists", "seal code " + seal.code + " is taken");
  }
  return {};
}

Status SealStore::remove_new(const Seal& seal) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string k1 = seal_key(seal.code), k2 = image_key(seal.code),
              k3 = application_key(seal.application_id), k5 = applicant_key(seal.applicant_id),
              k6 = org_key(seal.org_id);
  auto reply =
      (*lease)->command({"EVAL", kRemoveScript, "6", k1, k2, k3, kAllSeals, k5, k6, seal.code});
  if (!reply) {
    return reply.error();
  }
  return {};
}

Result<Seal> SealStore::get(std::string_view code) {
  if (!is_seal_code(code)) {
    return make_error("seal_not_found", "seal " + std::string(code) + " does not exist");
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"HGETALL", seal_key(code)});
  if (!reply) {
    return reply.error();
  }
  if (reply->size() == 0) {
    return make_error("seal_not_found", "seal " + std::string(code) + " does not exist");
  }
  return parse_seal_record(reply->raw());
}

Result<std::optional<std::string>> SealStore::code_for_application(
    std::string_view application_id) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"GET", application_key(application_id)});
  if (!reply) {
    return reply.error();
  }
  if (reply->is_nil()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(std::string(reply->str()));
}

Result<std::string> SealStore::svg_image(std::string_view code) {
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"GET", image_key(code)});
  if (!reply) {
    return reply.error();
  }
  if (reply->is_nil()) {
    return make_error("seal_image_not_found", "seal " + std::string(code) + " has no drawn image");
  }
  return std::string(reply->str());
}

Result<std::vector<Seal>> SealStore::load_many(const std::vector<std::string>& codes) {
  std::vector<Seal> out;
  if (codes.empty()) {
    return out;
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::vector<std::string> keys;
  for (const auto& c : codes) {
    keys.push_back(seal_key(c));
  }
  std::vector<std::vector<std::string_view>> cmds;
  for (const auto& k : keys) {
    cmds.push_back({"HGETALL", k});
  }
  auto replies = (*lease)->pipeline(cmds);
  if (!replies) {
    return replies.error();
  }
  for (auto& r : *replies) {
    if (r->type != REDIS_REPLY_ARRAY || r->elements == 0) {
      continue;  // an index entry whose seal is gone: skip, never fail a list
    }
    out.push_back(parse_seal_record(r.get()));
  }
  return out;
}

}  // namespace seald::seals
