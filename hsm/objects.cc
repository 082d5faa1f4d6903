#include "hsm/objects.h"

#include <algorithm>
#include <cstdio>

namespace seald::hsm {

CK_ATTRIBUTE attribute(CK_ATTRIBUTE_TYPE type, const void* value, CK_ULONG size) {
  return CK_ATTRIBUTE{type, const_cast<void*>(value), size};
}

CK_ATTRIBUTE attribute(CK_ATTRIBUTE_TYPE type, std::string_view bytes) {
  return attribute(type, bytes.data(), bytes.size());
}

std::string describe_key_id(std::string_view key_id) {
  bool printable = !key_id.empty() && std::all_of(key_id.begin(), key_id.end(),
                                                  [](char c) { return c >= 0x20 && c < 0x7f; });
  if (printable) {
    return "\"" + std::string(key_id) + "\"";
  }
  std::string hex = "0x";
  for (unsigned char c : key_id) {
    char buf[3];
    std::snprintf(buf, sizeof buf, "%02x", c);
    hex += buf;
  }
  return hex;
}

Result<std::vector<CK_OBJECT_HANDLE>> find_objects(const SessionContext& context,
                                                   std::span<CK_ATTRIBUTE> match, std::size_t max) {
  CK_FUNCTION_LIST* f = context.functions;
  CK_RV rv = f->C_FindObjectsInit(context.session, match.data(), match.size());
  if (rv != CKR_OK) {
    return ck_error("C_FindObjectsInit", rv);
  }
  constexpr std::size_t kBatch = 64;
  std::vector<CK_OBJECT_HANDLE> found;
  while (found.size() < max) {
    std::size_t want = std::min(kBatch, max - found.size());
    std::size_t had = found.size();
    found.resize(had + want);
    CK_ULONG count = 0;
    rv = f->C_FindObjects(context.session, found.data() + had, want, &count);
    found.resize(had + (rv == CKR_OK ? count : 0));
    if (rv != CKR_OK || count < want) {
      break;
    }
  }
  // Always end the search, or the session refuses the next one.
  CK_RV final_rv = f->C_FindObjectsFinal(context.session);
  if (rv != CKR_OK) {
    return ck_error("C_FindObjects", rv);
  }
  if (final_rv != CKR_OK) {
    return ck_error("C_FindObjectsFinal", final_rv);
  }
  return found;
}

Result<CK_OBJECT_HANDLE> find_key(const SessionContext& context, CK_OBJECT_CLASS object_class,
                                  std::string_view key_id) {
  CK_ATTRIBUTE match[] = {
      attribute(CKA_CLASS, &object_class, sizeof object_class),
      attribute(CKA_ID, key_id),
  };
  auto found = find_objects(context, match, 2);
  if (!found) {
    return found.error();
  }
  if (found->empty()) {
    return make_error("key_not_found",
                      "no key with id " + describe_key_id(key_id) + " on the token");
  }
  if (found->size() > 1) {
    return make_error("key_ambiguous",
                      "several keys on the token have id " + describe_key_id(key_id));
  }
  return found->front();
}

Result<std::vector<std::uint8_t>> get_attribute(const SessionContext& context,
                                                CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) {
  CK_ATTRIBUTE query{type, nullptr, 0};
  CK_RV rv = context.functions->C_GetAttributeValue(context.session, object, &query, 1);
  if (rv != CKR_OK) {
    return ck_error("C_GetAttributeValue", rv);
  }
  if (query.ulValueLen == CK_UNAVAILABLE_INFORMATION) {
    return ck_error("C_GetAttributeValue", CKR_ATTRIBUTE_TYPE_INVALID);
  }
  std::vector<std::uint8_t> value(query.ulValueLen);
  query.pValue = value.data();
  rv = context.functions->C_GetAttributeValue(context.session, object, &query, 1);
  if (rv != CKR_OK) {
    return ck_error("C_GetAttributeValue", rv);
  }
  value.resize(query.ulValueLen);
  return value;
}

Result<CK_ULONG> get_ulong_attribute(const SessionContext& context, CK_OBJECT_HANDLE object,
                                     CK_ATTRIBUTE_TYPE type) {
  CK_ULONG value = 0;
  CK_ATTRIBUTE query{type, &value, sizeof value};
  CK_RV rv = context.functions->C_GetAttributeValue(context.session, object, &query, 1);
  if (rv != CKR_OK) {
    return ck_error("C_GetAttributeValue", rv);
  }
  return value;
}

}  // namespace seald::hsm
