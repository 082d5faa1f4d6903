#include "workflow/validation.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <optional>
#include <vector>

namespace seald::workflow {
namespace {

Error missing(std::string_view field) {
  return make_error("field_missing", std::string(field) + ": required");
}

Error invalid(std::string_view field, std::string_view why) {
  return make_error("field_invalid", std::string(field) + ": " + std::string(why));
}

// Decodes UTF-8 strictly (no overlongs, no surrogates); nullopt if malformed.
std::optional<std::vector<char32_t>> decode_utf8(std::string_view s) {
  std::vector<char32_t> out;
  std::size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    if (b < 0x80) {
      len = 1;
      cp = b;
    } else if ((b & 0xE0) == 0xC0) {
      len = 2;
      cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3;
      cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4;
      cp = b & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + len > s.size()) {
      return std::nullopt;
    }
    for (std::size_t k = 1; k < len; ++k) {
      auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) {
        return std::nullopt;
      }
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr std::array<char32_t, 5> kMinForLength{0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return std::nullopt;
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool is_control(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

bool is_space(char32_t cp) {
  return cp == U' ' || cp == 0x00A0 || cp == 0x3000;
}

bool one_of(std::string_view value, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

Status check_enum(std::string_view field, std::string_view value,
                  std::initializer_list<std::string_view> allowed) {
  if (value.empty()) {
    return missing(field);
  }
  if (!one_of(value, allowed)) {
    std::string list;
    for (auto a : allowed) {
      list += list.empty() ? "" : ", ";
      list += a;
    }
    return invalid(field, "must be one of " + list);
  }
  return {};
}

struct Field {
  std::string_view name;
  const std::string* value;
};

// Fields that belong to some kinds only; a value for another kind is refused
// rather than silently stored.
std::vector<Field> kind_specific_fields(const ApplicationForm& f) {
  return {{"seal_name", &f.seal_name},
          {"seal_type", &f.seal_type},
          {"usage", &f.usage},
          {"validity", &f.validity},
          {"creation_method", &f.creation_method},
          {"image_upload_id", &f.image_upload_id},
          {"payment_mode", &f.payment_mode},
          {"seal_code", &f.seal_code},
          {"reason", &f.reason},
          {"new_credit_code", &f.new_credit_code},
          {"new_name", &f.new_name},
          {"new_parent_org_id", &f.new_parent_org_id},
          {"licence_upload_id", &f.licence_upload_id},
          {"region_code", &f.region_code}};
}

std::vector<std::string_view> fields_of(Kind kind) {
  switch (kind) {
    case Kind::new_seal:
      return {"seal_name",       "seal_type",       "usage",       "validity",
              "creation_method", "image_upload_id", "payment_mode"};
    case Kind::revoke:
    case Kind::reissue:
    case Kind::report_loss:
    case Kind::restore:
      return {"seal_code", "reason"};
    case Kind::org_update:
      return {"new_credit_code", "new_name", "new_parent_org_id", "licence_upload_id"};
    case Kind::seal_admin:
      return {"region_code"};
  }
  return {};
}

Status validate_new_seal(const ApplicationForm& f) {
  if (auto s = validate_text("seal_name", f.seal_name, kMaxSealNameChars, true); !s) {
    return s;
  }
  if (normalise_seal_name(f.seal_name).empty()) {
    return invalid("seal_name", "must not be blank");
  }
  if (auto s =
          check_enum("seal_type", f.seal_type,
                     {"legal_name", "finance", "invoice", "contract", "business", "personal_name"});
      !s) {
    return s;
  }
  if (auto s = check_enum("usage", f.usage, {"ukey", "cloud"}); !s) {
    return s;
  }
  if (auto s = check_enum("validity", f.validity, {"1y", "2y"}); !s) {
    return s;
  }
  if (f.seal_type == "personal_name") {
    if (auto s = check_enum("creation_method", f.creation_method, {"handdrawn", "upload"}); !s) {
      return s;
    }
    if (auto s = validate_id("image_upload_id", f.image_upload_id); !s) {
      return s;
    }
  } else {
    if (!f.creation_method.empty()) {
      return invalid("creation_method", "only for personal_name seals");
    }
    if (!f.image_upload_id.empty()) {
      return invalid("image_upload_id", "only for personal_name seals");
    }
  }
  return check_enum("payment_mode", f.payment_mode, {"self", "unified"});
}

Status validate_seal_change(const ApplicationForm& f) {
  if (auto s = validate_id("seal_code", f.seal_code); !s) {
    return s;
  }
  return validate_text("reason", f.reason, kMaxReasonChars, true);
}

Status validate_org_update(const ApplicationForm& f) {
  if (f.new_credit_code.empty() && f.new_name.empty() && f.new_parent_org_id.empty()) {
    return missing("new_credit_code");  // at least one change; the first names the group
  }
  if (!f.new_credit_code.empty() && !valid_credit_code(f.new_credit_code)) {
    return invalid("new_credit_code", "not a valid unified social credit code");
  }
  if (!f.new_name.empty()) {
    if (auto s = validate_text("new_name", f.new_name, kMaxOrgNameChars, true); !s) {
      return s;
    }
  }
  if (!f.new_parent_org_id.empty()) {
    if (auto s = validate_id("new_parent_org_id", f.new_parent_org_id); !s) {
      return s;
    }
    if (f.new_parent_org_id == f.org_id) {
      return invalid("new_parent_org_id", "an org cannot be its own parent");
    }
  }
  return validate_id("licence_upload_id", f.licence_upload_id);
}

Status validate_seal_admin(const ApplicationForm& f) {
  if (f.region_code.empty()) {
    return missing("region_code");
  }
  // Administrative division codes: 6 digits (county), 9 (township) or 12 (village).
  bool digits = std::all_of(f.region_code.begin(), f.region_code.end(),
                            [](char c) { return c >= '0' && c <= '9'; });
  auto n = f.region_code.size();
  if (!digits || (n != 6 && n != 9 && n != 12)) {
    return invalid("region_code", "must be a 6, 9 or 12 digit division code");
  }
  return {};
}

}  // namespace

Status validate_id(std::string_view field, std::string_view value) {
  if (value.empty()) {
    return missing(field);
  }
  if (value.size() > kMaxIdChars) {
    return invalid(field, "longer than " + std::to_string(kMaxIdChars) + " characters");
  }
  for (char c : value) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) {
      return invalid(field, "may hold only letters, digits, '_', '-' and '.'");
    }
  }
  return {};
}

Status validate_text(std::string_view field, std::string_view value, std::size_t max_chars,
                     bool required) {
  if (value.empty()) {
    return required ? Status(missing(field)) : Status();
  }
  auto cps = decode_utf8(value);
  if (!cps) {
    return invalid(field, "not valid UTF-8");
  }
  if (cps->size() > max_chars) {
    return invalid(field, "longer than " + std::to_string(max_chars) + " characters");
  }
  if (std::any_of(cps->begin(), cps->end(), is_control)) {
    return invalid(field, "contains control characters");
  }
  return {};
}

Status validate_form(const ApplicationForm& form) {
  if (form.kind.empty()) {
    return missing("kind");
  }
  auto kind = parse_kind(form.kind);
  if (!kind) {
    return invalid("kind",
                   "must be one of new, revoke, reissue, report_loss, restore, org_update, "
                   "seal_admin");
  }
  if (auto s = validate_id("org_id", form.org_id); !s) {
    return s;
  }
  if (auto s = validate_id("approving_org_id", form.approving_org_id); !s) {
    return s;
  }
  if (!form.form_upload_id.empty()) {
    if (auto s = validate_id("form_upload_id", form.form_upload_id); !s) {
      return s;
    }
  }
  auto allowed = fields_of(*kind);
  for (const auto& f : kind_specific_fields(form)) {
    if (!f.value->empty() && std::find(allowed.begin(), allowed.end(), f.name) == allowed.end()) {
      return invalid(f.name, "not used by kind " + form.kind);
    }
  }
  switch (*kind) {
    case Kind::new_seal:
      return validate_new_seal(form);
    case Kind::revoke:
    case Kind::reissue:
    case Kind::report_loss:
    case Kind::restore:
      return validate_seal_change(form);
    case Kind::org_update:
      return validate_org_update(form);
    case Kind::seal_admin:
      return validate_seal_admin(form);
  }
  return {};
}

std::string normalise_seal_name(std::string_view name) {
  auto cps = decode_utf8(name);
  if (!cps) {
    return std::string(name);  // validation refuses it before it matters
  }
  std::string out;
  bool pending_space = false;
  for (char32_t cp : *cps) {
    if (is_space(cp) || cp == U'\t' || cp == U'\n' || cp == U'\r') {
      pending_space = !out.empty();
      continue;
    }
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
      cp = cp - 0xFF01 + 0x21;  // full-width forms of ASCII '!'..'~'
    }
    if (cp >= U'A' && cp <= U'Z') {
      cp = cp - U'A' + U'a';
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    append_utf8(out, cp);
  }
  return out;
}

bool valid_credit_code(std::string_view code) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr std::array<int, 17> kWeights{1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                29, 25, 13, 8,  24, 10, 30, 28};
  if (code.size() != 18) {
    return false;
  }
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    auto pos = kAlphabet.find(code[i]);
    if (pos == std::string_view::npos) {
      return false;
    }
    sum += static_cast<int>(pos) * kWeights[i];
  }
  int check = (31 - sum % 31) % 31;
  return code[17] == kAlphabet[static_cast<std::size_t>(check)];
}

}  // namespace seald::workflow
