#include "hsm/algorithms.h"

#include <array>

namespace seald::hsm {
namespace {

constexpr std::array<std::uint8_t, 19> kSha256Prefix = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                                        0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                                        0x01, 0x05, 0x00, 0x04, 0x20};
constexpr std::array<std::uint8_t, 19> kSha384Prefix = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                                        0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                                        0x02, 0x05, 0x00, 0x04, 0x30};
constexpr std::array<std::uint8_t, 19> kSha512Prefix = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                                        0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                                        0x03, 0x05, 0x00, 0x04, 0x40};

// prime256v1 (1.2.840.10045.3.1.7) and secp384r1 (1.3.132.0.34).
constexpr std::array<std::uint8_t, 10> kP256Oid = {0x06, 0x08, 0x2a, 0x86, 0x48,
                                                   0xce, 0x3d, 0x03, 0x01, 0x07};
constexpr std::array<std::uint8_t, 7> kP384Oid = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};

}  // namespace

std::string_view name(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::ec_p256:
      return "ec-p256";
    case KeyAlgorithm::ec_p384:
      return "ec-p384";
    case KeyAlgorithm::rsa_2048:
      return "rsa-2048";
    case KeyAlgorithm::rsa_3072:
      return "rsa-3072";
  }
  return "unknown";
}

std::string_view name(SignScheme scheme) {
  switch (scheme) {
    case SignScheme::ecdsa:
      return "ecdsa";
    case SignScheme::rsa_pkcs1_v15:
      return "rsa-pkcs1-v1.5";
    case SignScheme::rsa_pss:
      return "rsa-pss";
  }
  return "unknown";
}

std::string_view name(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::sha256:
      return "sha256";
    case HashAlgorithm::sha384:
      return "sha384";
    case HashAlgorithm::sha512:
      return "sha512";
  }
  return "unknown";
}

std::optional<KeyAlgorithm> parse_key_algorithm(std::string_view text) {
  for (auto a : {KeyAlgorithm::ec_p256, KeyAlgorithm::ec_p384, KeyAlgorithm::rsa_2048,
                 KeyAlgorithm::rsa_3072}) {
    if (name(a) == text) {
      return a;
    }
  }
  return std::nullopt;
}

std::optional<SignScheme> parse_sign_scheme(std::string_view text) {
  for (auto s : {SignScheme::ecdsa, SignScheme::rsa_pkcs1_v15, SignScheme::rsa_pss}) {
    if (name(s) == text) {
      return s;
    }
  }
  return std::nullopt;
}

std::optional<HashAlgorithm> parse_hash_algorithm(std::string_view text) {
  for (auto h : {HashAlgorithm::sha256, HashAlgorithm::sha384, HashAlgorithm::sha512}) {
    if (name(h) == text) {
      return h;
    }
  }
  return std::nullopt;
}

std::size_t hash_length(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::sha256:
      return 32;
    case HashAlgorithm::sha384:
      return 48;
    case HashAlgorithm::sha512:
      return 64;
  }
  return 0;
}

bool is_ec(KeyAlgorithm algorithm) {
  return algorithm == KeyAlgorithm::ec_p256 || algorithm == KeyAlgorithm::ec_p384;
}

bool scheme_fits_key_type(SignScheme scheme, CK_KEY_TYPE type) {
  if (scheme == SignScheme::ecdsa) {
    return type == CKK_EC;
  }
  return type == CKK_RSA;
}

std::span<const std::uint8_t> digest_info_prefix(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::sha256:
      return kSha256Prefix;
    case HashAlgorithm::sha384:
      return kSha384Prefix;
    case HashAlgorithm::sha512:
      return kSha512Prefix;
  }
  return {};
}

std::span<const std::uint8_t> ec_params(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::ec_p256:
      return kP256Oid;
    case KeyAlgorithm::ec_p384:
      return kP384Oid;
    default:
      return {};
  }
}

CK_MECHANISM_TYPE hash_mechanism(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::sha256:
      return CKM_SHA256;
    case HashAlgorithm::sha384:
      return CKM_SHA384;
    case HashAlgorithm::sha512:
      return CKM_SHA512;
  }
  return CKM_SHA256;
}

CK_RSA_PKCS_MGF_TYPE mgf1(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::sha256:
      return CKG_MGF1_SHA256;
    case HashAlgorithm::sha384:
      return CKG_MGF1_SHA384;
    case HashAlgorithm::sha512:
      return CKG_MGF1_SHA512;
  }
  return CKG_MGF1_SHA256;
}

}  // namespace seald::hsm
