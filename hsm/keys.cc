#include "hsm/keys.h"

#include <algorithm>
#include <array>
#include <ranges>

#include "hsm/der_encoding.h"
#include "hsm/objects.h"

namespace seald::hsm {
namespace {

constexpr CK_BBOOL kTrue = CK_TRUE;
constexpr CK_BBOOL kFalse = CK_FALSE;
constexpr CK_OBJECT_CLASS kPublicClass = CKO_PUBLIC_KEY;
constexpr CK_OBJECT_CLASS kPrivateClass = CKO_PRIVATE_KEY;
constexpr std::array<std::uint8_t, 3> kExponent65537 = {0x01, 0x00, 0x01};

CK_ATTRIBUTE flag(CK_ATTRIBUTE_TYPE type, bool value) {
  return attribute(type, value ? &kTrue : &kFalse, sizeof(CK_BBOOL));
}

bool same_bytes(const std::vector<std::uint8_t>& a, std::span<const std::uint8_t> b) {
  return std::ranges::equal(a, b);
}

// What a private key is, from the attributes every module exposes on it.
KeyInfo describe_key(const SessionContext& context, CK_OBJECT_HANDLE key) {
  KeyInfo info;
  if (auto id = get_attribute(context, key, CKA_ID); id) {
    info.id.assign(id->begin(), id->end());
  }
  if (auto label = get_attribute(context, key, CKA_LABEL); label) {
    info.label.assign(label->begin(), label->end());
  }
  auto type = get_ulong_attribute(context, key, CKA_KEY_TYPE);
  if (!type) {
    info.algorithm_name = "unknown";
  } else if (*type == CKK_EC) {
    auto params = get_attribute(context, key, CKA_EC_PARAMS);
    info.algorithm_name = "ec (other curve)";
    for (auto a : {KeyAlgorithm::ec_p256, KeyAlgorithm::ec_p384}) {
      if (params && same_bytes(*params, ec_params(a))) {
        info.algorithm = a;
        info.algorithm_name = name(a);
      }
    }
  } else if (*type == CKK_RSA) {
    auto modulus = get_attribute(context, key, CKA_MODULUS);
    std::size_t bits = modulus ? modulus->size() * 8 : 0;
    info.algorithm_name = "rsa-" + std::to_string(bits);
    if (bits == 2048) {
      info.algorithm = KeyAlgorithm::rsa_2048;
    } else if (bits == 3072) {
      info.algorithm = KeyAlgorithm::rsa_3072;
    }
  } else {
    info.algorithm_name = "other (CKK " + std::to_string(*type) + ")";
  }
  return info;
}

}  // namespace

Status generate_key_pair(const Token& token, KeyAlgorithm algorithm, std::string_view key_id,
                         std::string_view label) {
  if (key_id.empty()) {
    return make_error("key_id_invalid", "a key needs a non-empty id");
  }
  const bool ec = is_ec(algorithm);
  const CK_KEY_TYPE key_type = ec ? CKK_EC : CKK_RSA;
  const CK_ULONG modulus_bits = algorithm == KeyAlgorithm::rsa_3072 ? 3072 : 2048;
  std::span<const std::uint8_t> curve = ec_params(algorithm);

  std::vector<CK_ATTRIBUTE> public_template = {
      attribute(CKA_CLASS, &kPublicClass, sizeof kPublicClass),
      attribute(CKA_KEY_TYPE, &key_type, sizeof key_type),
      flag(CKA_TOKEN, true),
      flag(CKA_PRIVATE, false),
      flag(CKA_VERIFY, true),
      flag(CKA_ENCRYPT, false),
      flag(CKA_WRAP, false),
      attribute(CKA_ID, key_id),
      attribute(CKA_LABEL, label),
  };
  if (ec) {
    public_template.push_back(attribute(CKA_EC_PARAMS, curve.data(), curve.size()));
  } else {
    public_template.push_back(attribute(CKA_MODULUS_BITS, &modulus_bits, sizeof modulus_bits));
    public_template.push_back(
        attribute(CKA_PUBLIC_EXPONENT, kExponent65537.data(), kExponent65537.size()));
  }
  // Signing only: a seal key that could also decrypt or unwrap would be an
  // oracle for whoever can reach the API.
  std::vector<CK_ATTRIBUTE> private_template = {
      attribute(CKA_CLASS, &kPrivateClass, sizeof kPrivateClass),
      attribute(CKA_KEY_TYPE, &key_type, sizeof key_type),
      flag(CKA_TOKEN, true),
      flag(CKA_PRIVATE, true),
      flag(CKA_SENSITIVE, true),
      flag(CKA_EXTRACTABLE, false),
      flag(CKA_SIGN, true),
      flag(CKA_DECRYPT, false),
      flag(CKA_UNWRAP, false),
      flag(CKA_DERIVE, false),
      attribute(CKA_ID, key_id),
      attribute(CKA_LABEL, label),
  };
  CK_MECHANISM mechanism{ec ? CKM_EC_KEY_PAIR_GEN : CKM_RSA_PKCS_KEY_PAIR_GEN, nullptr, 0};

  return token.with_session([&](SessionContext& context) -> Status {
    CK_ATTRIBUTE same_id[] = {attribute(CKA_ID, key_id)};
    auto existing = find_objects(context, same_id, 1);
    if (!existing) {
      return existing.error();
    }
    if (!existing->empty()) {
      return make_error("key_exists",
                        "the token already holds a key with id " + describe_key_id(key_id));
    }
    CK_OBJECT_HANDLE public_key = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE private_key = CK_INVALID_HANDLE;
    CK_RV rv = context.functions->C_GenerateKeyPair(
        context.session, &mechanism, public_template.data(), public_template.size(),
        private_template.data(), private_template.size(), &public_key, &private_key);
    if (rv != CKR_OK) {
      return ck_error("C_GenerateKeyPair", rv);
    }
    return {};
  });
}

Result<std::vector<std::uint8_t>> public_key_der(const Token& token, std::string_view key_id) {
  return token.with_session([&](SessionContext& context) -> Result<std::vector<std::uint8_t>> {
    auto key = find_key(context, CKO_PUBLIC_KEY, key_id);
    if (!key) {
      return key.error();
    }
    auto type = get_ulong_attribute(context, *key, CKA_KEY_TYPE);
    if (!type) {
      return type.error();
    }
    if (*type == CKK_EC) {
      auto params = get_attribute(context, *key, CKA_EC_PARAMS);
      auto point = get_attribute(context, *key, CKA_EC_POINT);
      if (!params || !point) {
        return params ? point.error() : params.error();
      }
      return ec_public_key_der(*params, *point);
    }
    if (*type == CKK_RSA) {
      auto modulus = get_attribute(context, *key, CKA_MODULUS);
      auto exponent = get_attribute(context, *key, CKA_PUBLIC_EXPONENT);
      if (!modulus || !exponent) {
        return modulus ? exponent.error() : modulus.error();
      }
      return rsa_public_key_der(*modulus, *exponent);
    }
    return make_error("key_type_unsupported",
                      "key " + describe_key_id(key_id) + " is neither EC nor RSA");
  });
}

Status destroy_key_pair(Token& token, std::string_view key_id) {
  if (key_id.empty()) {
    return make_error("key_id_invalid", "a key needs a non-empty id");
  }
  Status result = token.with_session([&](SessionContext& context) -> Status {
    std::vector<CK_OBJECT_HANDLE> doomed;
    for (CK_OBJECT_CLASS object_class : {kPrivateClass, kPublicClass}) {
      CK_ATTRIBUTE match[] = {
          attribute(CKA_CLASS, &object_class, sizeof object_class),
          attribute(CKA_ID, key_id),
      };
      auto found = find_objects(context, match, 16);
      if (!found) {
        return found.error();
      }
      doomed.insert(doomed.end(), found->begin(), found->end());
    }
    if (doomed.empty()) {
      return make_error("key_not_found",
                        "no key with id " + describe_key_id(key_id) + " on the token");
    }
    for (CK_OBJECT_HANDLE object : doomed) {
      CK_RV rv = context.functions->C_DestroyObject(context.session, object);
      if (rv != CKR_OK && rv != CKR_OBJECT_HANDLE_INVALID) {
        return ck_error("C_DestroyObject", rv);
      }
    }
    return {};
  });
  // Even after a partial failure some handle may be gone.
  token.invalidate_key_handles();
  return result;
}

Result<std::vector<KeyInfo>> list_keys(const Token& token) {
  return token.with_session([&](SessionContext& context) -> Result<std::vector<KeyInfo>> {
    CK_ATTRIBUTE match[] = {attribute(CKA_CLASS, &kPrivateClass, sizeof kPrivateClass)};
    auto found = find_objects(context, match, 100000);
    if (!found) {
      return found.error();
    }
    std::vector<KeyInfo> keys;
    keys.reserve(found->size());
    for (CK_OBJECT_HANDLE key : *found) {
      keys.push_back(describe_key(context, key));
    }
    std::ranges::sort(keys, {}, &KeyInfo::id);
    return keys;
  });
}

}  // namespace seald::hsm
