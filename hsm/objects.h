#pragma once

// Object search and attribute reads on a session: the two-call and
// init/find/final dances of PKCS#11, done once here.

#include <p11-kit/pkcs11.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "hsm/token.h"

namespace seald::hsm {

// A template attribute pointing at caller-owned bytes (PKCS#11 wants
// non-const pointers but only reads templates).
CK_ATTRIBUTE attribute(CK_ATTRIBUTE_TYPE type, const void* value, CK_ULONG size);
CK_ATTRIBUTE attribute(CK_ATTRIBUTE_TYPE type, std::string_view bytes);

// A key id for messages: as text when printable, else hex.
std::string describe_key_id(std::string_view key_id);

// Up to max handles of objects matching the template.
Result<std::vector<CK_OBJECT_HANDLE>> find_objects(const SessionContext& context,
                                                   std::span<CK_ATTRIBUTE> match, std::size_t max);

// The private key (or public key) with this CKA_ID: key_not_found when there
// is none, key_ambiguous when there are several.
Result<CK_OBJECT_HANDLE> find_key(const SessionContext& context, CK_OBJECT_CLASS object_class,
                                  std::string_view key_id);

// One attribute's value; CKR_ATTRIBUTE_SENSITIVE and friends come back as
// their hsm_ codes.
Result<std::vector<std::uint8_t>> get_attribute(const SessionContext& context,
                                                CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type);
Result<CK_ULONG> get_ulong_attribute(const SessionContext& context, CK_OBJECT_HANDLE object,
                                     CK_ATTRIBUTE_TYPE type);

}  // namespace seald::hsm
