#include "seals/seal_store.h"

#include <charconv>

#include "seals/seal_code.h"

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

constexpr std::string_view kAll = "seald:seals:all";

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

std::int64_t to_int(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::string_view as_view(const redisReply* r) {
  return r != nullptr && r->type == REDIS_REPLY_STRING ? std::string_view(r->str, r->len)
                                                       : std::string_view();
}

std::vector<std::string> record_fields(const Seal& s) {
  std::vector<std::string> f{
      "code",           s.code,
      "name",           s.name,
      "org_id",         s.org_id,
      "type",           s.type,
      "usage",          s.usage,
      "validity",       s.validity,
      "status",         std::string(to_string(s.status)),
      "application_id", s.application_id,
      "applicant_id",   s.applicant_id,
      "key_id",         s.key_id,
      "key_algorithm",  s.key_algorithm,
      "not_before_ms",  std::to_string(s.not_before_ms),
      "not_after_ms",   std::to_string(s.not_after_ms),
      "enabled_ms",     std::to_string(s.enabled_ms),
      "image",          s.image,
      "version",        "1",
  };
  if (s.certificate) {
    f.insert(f.end(), {"cert_serial", s.certificate->serial_hex, "cert_der",
                       std::string(s.certificate->der.begin(), s.certificate->der.end())});
  }
  return f;
}

// Previous certificates are kept in the record as numbered field pairs
// (prev_cert_<n>_serial / prev_cert_<n>_der, n from 1), so the seal and its
// history stay one key; reissue appends to them.
Seal parse_record(const redis::Reply& reply) {
  Seal s;
  std::vector<std::pair<std::string, Certificate>> previous;
  for (std::size_t i = 0; i + 1 < reply.size(); i += 2) {
    std::string_view k = as_view(reply.element(i));
    std::string_view v = as_view(reply.element(i + 1));
    if (k == "code")
      s.code = v;
    else if (k == "name")
      s.name = v;
    else if (k == "org_id")
      s.org_id = v;
    else if (k == "type")
      s.type = v;
    else if (k == "usage")
      s.usage = v;
    else if (k == "validity")
      s.validity = v;
    else if (k == "status")
      s.status = parse_status(v).value_or(SealStatus::active);
    else if (k == "application_id")
      s.application_id = v;
    else if (k == "applicant_id")
      s.applicant_id = v;
    else if (k == "key_id")
      s.key_id = v;
    else if (k == "key_algorithm")
      s.key_algorithm = v;
    else if (k == "not_before_ms")
      s.not_before_ms = to_int(v);
    else if (k == "not_after_ms")
      s.not_after_ms = to_int(v);
    else if (k == "enabled_ms")
      s.enabled_ms = to_int(v);
    else if (k == "image")
      s.image = v;
    else if (k == "version")
      s.version = to_int(v);
    else if (k == "cert_serial") {
      if (!s.certificate)
        s.certificate.emplace();
      s.certificate->serial_hex = v;
    } else if (k == "cert_der") {
      if (!s.certificate)
        s.certificate.emplace();
      s.certificate->der.assign(v.begin(), v.end());
    } else if (k.starts_with("prev_cert_")) {
      std::string_view rest = k.substr(10);
      auto cut = rest.find('_');
      if (cut == std::string_view::npos)
        continue;
      std::int64_t n = to_int(rest.substr(0, cut));
      if (n < 1)
        continue;
      if (previous.size() < static_cast<std::size_t>(n))
        previous.resize(n);
      auto& cert = previous[n - 1].second;
      if (rest.substr(cut + 1) == "serial")
        cert.serial_hex = v;
      else
        cert.der.assign(v.begin(), v.end());
    }
  }
  for (auto& [unused, cert] : previous) {
    s.previous_certificates.push_back(std::move(cert));
  }
  return s;
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
  std::vector<std::string> fields = record_fields(seal);
  std::vector<std::string_view> args{"EVAL", kCreateScript, "6",     k1,       k2, k3, kAll, k5,
                                     k6,     seal.code,     enabled, svg_image};
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
  auto reply = (*lease)->command({"EVAL", kRemoveScript, "6", k1, k2, k3, kAll, k5, k6, seal.code});
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
  return parse_record(*reply);
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
    out.push_back(parse_record(redis::Reply(std::move(r))));
  }
  return out;
}

}  // namespace seald::seals
