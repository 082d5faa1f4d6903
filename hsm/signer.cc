#include "hsm/signer.h"

#include <algorithm>
#include <array>

#include "hsm/der_encoding.h"
#include "hsm/objects.h"

namespace seald::hsm {
namespace {

// Big enough for RSA-4096 in one call; a bigger key takes the second call.
constexpr std::size_t kSignatureBuffer = 512;
// The longest DigestInfo: 19-byte prefix + SHA-512.
constexpr std::size_t kMaxInput = 19 + 64;

// This thread's handle for the private key, looked up once per thread (and
// again after a key was destroyed anywhere).
Result<CachedKey> private_key(const Token& token, SessionContext& context,
                              std::string_view key_id) {
  const std::uint64_t generation = token.key_generation();
  if (const CachedKey* cached = context.keys->find(key_id, generation); cached != nullptr) {
    return *cached;
  }
  auto handle = find_key(context, CKO_PRIVATE_KEY, key_id);
  if (!handle) {
    return handle.error();
  }
  auto type = get_ulong_attribute(context, *handle, CKA_KEY_TYPE);
  if (!type) {
    return type.error();
  }
  CachedKey key{*handle, *type};
  context.keys->put(key_id, key, generation);
  return key;
}

Result<std::vector<std::uint8_t>> sign_once(const SessionContext& context, CK_OBJECT_HANDLE key,
                                            CK_MECHANISM& mechanism,
                                            std::span<std::uint8_t> input) {
  CK_FUNCTION_LIST* f = context.functions;
  CK_RV rv = f->C_SignInit(context.session, &mechanism, key);
  if (rv != CKR_OK) {
    return ck_error("C_SignInit", rv);
  }
  std::vector<std::uint8_t> signature(kSignatureBuffer);
  CK_ULONG size = signature.size();
  rv = f->C_Sign(context.session, input.data(), input.size(), signature.data(), &size);
  if (rv == CKR_BUFFER_TOO_SMALL) {
    // The operation stays active and size now holds what is needed.
    signature.resize(size);
    rv = f->C_Sign(context.session, input.data(), input.size(), signature.data(), &size);
  }
  if (rv != CKR_OK) {
    return ck_error("C_Sign", rv);
  }
  signature.resize(size);
  return signature;
}

bool handle_stale(const Error& error) {
  return error.code == "hsm_key_handle_invalid" || error.code == "hsm_object_handle_invalid";
}

}  // namespace

Result<std::vector<std::uint8_t>> sign_hash(const Token& token, std::string_view key_id,
                                            SignScheme scheme, HashAlgorithm hash_algorithm,
                                            std::span<const std::uint8_t> hash) {
  const std::size_t expected = hash_length(hash_algorithm);
  if (hash.size() != expected) {
    return make_error("hash_length_mismatch", "a " + std::string(name(hash_algorithm)) +
                                                  " hash is " + std::to_string(expected) +
                                                  " bytes, got " + std::to_string(hash.size()));
  }

  std::array<std::uint8_t, kMaxInput> input_buffer{};
  std::span<std::uint8_t> input;
  CK_RSA_PKCS_PSS_PARAMS pss{hash_mechanism(hash_algorithm), mgf1(hash_algorithm), expected};
  CK_MECHANISM mechanism{CKM_ECDSA, nullptr, 0};
  if (scheme == SignScheme::rsa_pkcs1_v15) {
    // CKM_RSA_PKCS pads whatever it is given: the DigestInfo is ours to add.
    auto prefix = digest_info_prefix(hash_algorithm);
    auto end = std::copy(prefix.begin(), prefix.end(), input_buffer.begin());
    end = std::copy(hash.begin(), hash.end(), end);
    input = std::span(input_buffer.begin(), end);
    mechanism = CK_MECHANISM{CKM_RSA_PKCS, nullptr, 0};
  } else {
    auto end = std::copy(hash.begin(), hash.end(), input_buffer.begin());
    input = std::span(input_buffer.begin(), end);
    if (scheme == SignScheme::rsa_pss) {
      mechanism = CK_MECHANISM{CKM_RSA_PKCS_PSS, &pss, sizeof pss};
    }
  }

  return token.with_session([&](SessionContext& context) -> Result<std::vector<std::uint8_t>> {
    auto key = private_key(token, context, key_id);
    if (!key) {
      return key.error();
    }
    if (!scheme_fits_key_type(scheme, key->type)) {
      return make_error("key_type_mismatch", "key " + describe_key_id(key_id) + " cannot make " +
                                                 std::string(name(scheme)) + " signatures");
    }
    auto signature = sign_once(context, key->handle, mechanism, input);
    if (!signature && handle_stale(signature.error())) {
      // Destroyed and re-made elsewhere, or the HSM renumbered its objects.
      context.keys->erase(key_id);
      key = private_key(token, context, key_id);
      if (!key) {
        return key.error();
      }
      signature = sign_once(context, key->handle, mechanism, input);
    }
    if (!signature) {
      return signature.error();
    }
    if (scheme == SignScheme::ecdsa) {
      return ecdsa_signature_der(*signature);
    }
    return signature;
  });
}

Result<std::unique_ptr<Pkcs11Signer>> Pkcs11Signer::create(TokenPtr token, std::string key_id,
                                                           SignScheme scheme,
                                                           HashAlgorithm hash_algorithm) {
  if (!token) {
    return make_error("hsm_argument_invalid", "Pkcs11Signer needs a token");
  }
  auto checked = token->with_session([&](SessionContext& context) -> Status {
    auto key = private_key(*token, context, key_id);
    if (!key) {
      return key.error();
    }
    if (!scheme_fits_key_type(scheme, key->type)) {
      return make_error("key_type_mismatch", "key " + describe_key_id(key_id) + " cannot make " +
                                                 std::string(name(scheme)) + " signatures");
    }
    return {};
  });
  if (!checked) {
    return checked.error();
  }
  return std::unique_ptr<Pkcs11Signer>(
      new Pkcs11Signer(std::move(token), std::move(key_id), scheme, hash_algorithm));
}

Result<std::vector<std::uint8_t>> Pkcs11Signer::sign(std::span<const std::uint8_t> hash) const {
  return sign_hash(*token_, key_id_, scheme_, hash_algorithm_, hash);
}

}  // namespace seald::hsm
