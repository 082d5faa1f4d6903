#include "pki/x509_parts.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <cctype>
#include <ctime>

namespace seald::pki::detail {

Error openssl_error(std::string code, std::string_view what) {
  std::string message(what);
  unsigned long e = ERR_get_error();
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    message += ": ";
    message += buf;
  }
  ERR_clear_error();
  return Error{std::move(code), std::move(message)};
}

Result<X509NamePtr> make_name(const std::vector<std::pair<int, std::string>>& entries) {
  X509NamePtr name(X509_NAME_new());
  if (!name) {
    return openssl_error("pki_internal", "X509_NAME_new");
  }
  for (const auto& [nid, value] : entries) {
    // MBSTRING_UTF8 lets OpenSSL pick each attribute's string type (UTF8String
    // for CN/O with Chinese text, PrintableString where the standard asks).
    if (X509_NAME_add_entry_by_NID(name.get(), nid, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.data()),
                                   static_cast<int>(value.size()), -1, 0) != 1) {
      return openssl_error("certificate_request_invalid",
                           std::string("subject attribute ") + OBJ_nid2sn(nid) + " not encodable");
    }
  }
  return name;
}

Status add_extension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return openssl_error("pki_internal", std::string("extension ") + OBJ_nid2sn(nid));
  }
  return {};
}

Status add_crl_extension(X509_CRL* crl, X509V3_CTX* ctx, int nid, const char* value) {
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
  if (!ext || X509_CRL_add_ext(crl, ext.get(), -1) != 1) {
    return openssl_error("pki_internal", std::string("CRL extension ") + OBJ_nid2sn(nid));
  }
  return {};
}

Result<BignumPtr> random_serial() {
  unsigned char bytes[16];
  BignumPtr serial;
  do {
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
      return openssl_error("pki_internal", "RAND_bytes");
    }
    // Clearing the top bit keeps the INTEGER positive in 16 content bytes
    // (RFC 5280 allows at most 20).
    bytes[0] &= 0x7f;
    serial.reset(BN_bin2bn(bytes, sizeof bytes, nullptr));
    if (!serial) {
      return openssl_error("pki_internal", "BN_bin2bn");
    }
  } while (BN_is_zero(serial.get()));
  return serial;
}

std::string serial_hex(const BIGNUM* serial) {
  char* hex = BN_bn2hex(serial);
  if (hex == nullptr) {
    return {};
  }
  std::string out(hex);
  OPENSSL_free(hex);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  // BN_bn2hex pads to whole bytes; the kept form has no leading zeros.
  auto first = out.find_first_not_of('0');
  return first == std::string::npos ? "0" : out.substr(first);
}

Result<BignumPtr> parse_serial_hex(std::string_view text) {
  if (text.empty() || text.size() > 40) {
    return Error{"serial_invalid", "a serial is 1 to 40 hex digits"};
  }
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return Error{"serial_invalid", "a serial is 1 to 40 hex digits"};
    }
  }
  std::string copy(text);
  BIGNUM* raw = nullptr;
  if (BN_hex2bn(&raw, copy.c_str()) == 0) {
    return openssl_error("serial_invalid", "serial");
  }
  return BignumPtr(raw);
}

Result<Asn1TimePtr> asn1_time(std::chrono::system_clock::time_point when) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count();
  // ASN1_TIME_set picks UTCTime before 2050 and GeneralizedTime after, as
  // RFC 5280 section 4.1.2.5 requires.
  Asn1TimePtr time(ASN1_TIME_set(nullptr, static_cast<time_t>(seconds)));
  if (!time) {
    return openssl_error("pki_internal", "ASN1_TIME_set");
  }
  return time;
}

std::chrono::system_clock::time_point to_time_point(const ASN1_TIME* time) {
  struct tm parts {};
  if (ASN1_TIME_to_tm(time, &parts) != 1) {
    return {};
  }
  return std::chrono::system_clock::from_time_t(timegm(&parts));
}

Result<EvpPkeyPtr> parse_public_key(const Bytes& spki_der) {
  const unsigned char* p = spki_der.data();
  EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size())));
  if (!key || p != spki_der.data() + spki_der.size()) {
    return openssl_error("certificate_request_invalid",
                         "the public key is not a DER SubjectPublicKeyInfo");
  }
  return key;
}

Result<X509Ptr> parse_certificate(const Bytes& der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert || p != der.data() + der.size()) {
    return openssl_error("ca_certificate_corrupt", "the stored CA certificate does not parse");
  }
  return cert;
}

Result<Bytes> certificate_to_der(X509* cert) {
  unsigned char* out = nullptr;
  int length = i2d_X509(cert, &out);
  if (length <= 0) {
    return openssl_error("pki_internal", "i2d_X509");
  }
  OpenSslBytes owned(out);
  return Bytes(out, out + length);
}

std::string der_to_pem(const Bytes& der, std::string_view label) {
  // Base64 in 64-column lines, as RFC 7468 asks.
  std::string b64;
  b64.resize(4 * ((der.size() + 2) / 3) + 1);
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), der.data(),
                          static_cast<int>(der.size()));
  b64.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  std::string pem = "-----BEGIN " + std::string(label) + "-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) {
    pem += b64.substr(i, 64);
    pem += '\n';
  }
  pem += "-----END " + std::string(label) + "-----\n";
  return pem;
}

const EVP_MD* message_digest(hsm::HashAlgorithm hash) {
  switch (hash) {
    case hsm::HashAlgorithm::sha256:
      return EVP_sha256();
    case hsm::HashAlgorithm::sha384:
      return EVP_sha384();
    case hsm::HashAlgorithm::sha512:
      return EVP_sha512();
  }
  return EVP_sha256();
}

}  // namespace seald::pki::detail
