#include "seals/seal_record.h"

#include <charconv>
#include <cstdint>
#include <utility>

namespace seald::seals {
namespace {

std::int64_t to_int(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::string_view as_view(const redisReply* r) {
  return r != nullptr && r->type == REDIS_REPLY_STRING ? std::string_view(r->str, r->len)
                                                       : std::string_view();
}

// Previous certificates are kept in the record as numbered field pairs
// (prev_cert_<n>_serial / prev_cert_<n>_der, n from 1), so the seal and its
// history stay one key; reissue appends to them.
void add_previous(std::vector<Certificate>& previous, std::string_view field,
                  std::string_view value) {
  std::string_view rest = field.substr(10);
  auto cut = rest.find('_');
  if (cut == std::string_view::npos) {
    return;
  }
  std::int64_t n = to_int(rest.substr(0, cut));
  if (n < 1) {
    return;
  }
  if (previous.size() < static_cast<std::size_t>(n)) {
    previous.resize(static_cast<std::size_t>(n));
  }
  auto& cert = previous[static_cast<std::size_t>(n - 1)];
  if (rest.substr(cut + 1) == "serial") {
    cert.serial_hex = value;
  } else {
    cert.der.assign(value.begin(), value.end());
  }
}

Certificate& current(Seal& s) {
  if (!s.certificate) {
    s.certificate.emplace();
  }
  return *s.certificate;
}

}  // namespace

Seal parse_seal_record(const redisReply* reply) {
  Seal s;
  std::vector<std::pair<std::string_view, std::string*>> text{
      {"code", &s.code},
      {"name", &s.name},
      {"org_id", &s.org_id},
      {"type", &s.type},
      {"usage", &s.usage},
      {"validity", &s.validity},
      {"application_id", &s.application_id},
      {"applicant_id", &s.applicant_id},
      {"key_id", &s.key_id},
      {"key_algorithm", &s.key_algorithm},
      {"image", &s.image},
      {"changed_by", &s.changed_by},
      {"change_reason", &s.change_reason},
      {"change_application_id", &s.change_application_id},
  };
  std::vector<std::pair<std::string_view, std::int64_t*>> numbers{
      {"not_before_ms", &s.not_before_ms}, {"not_after_ms", &s.not_after_ms},
      {"enabled_ms", &s.enabled_ms},       {"version", &s.version},
      {"changed_ms", &s.changed_ms},
  };
  for (std::size_t i = 0; i + 1 < reply->elements; i += 2) {
    std::string_view k = as_view(reply->element[i]);
    std::string_view v = as_view(reply->element[i + 1]);
    bool done = false;
    for (auto& [name, field] : text) {
      if (k == name) {
        *field = v;
        done = true;
        break;
      }
    }
    for (auto& [name, field] : numbers) {
      if (!done && k == name) {
        *field = to_int(v);
        done = true;
        break;
      }
    }
    if (done) {
      continue;
    }
    if (k == "status") {
      s.status = parse_status(v).value_or(SealStatus::active);
    } else if (k == "cert_serial") {
      current(s).serial_hex = v;
    } else if (k == "cert_der") {
      current(s).der.assign(v.begin(), v.end());
    } else if (k.starts_with("prev_cert_")) {
      add_previous(s.previous_certificates, k, v);
    } else if (k.starts_with(kCleanupPrefix)) {
      s.cleanup.emplace(k.substr(kCleanupPrefix.size()), v);
    }
  }
  return s;
}

std::vector<std::string> seal_record_fields(const Seal& s) {
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

}  // namespace seald::seals
