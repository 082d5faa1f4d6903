#pragma once

// The pieces of X.509 that pki/ assembles with OpenSSL: owners for its
// objects, names, extensions, serials and times. OpenSSL's error queue is
// read here and turned into seald::Error.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/error.h"
#include "core/openssl_free.h"
#include "hsm/algorithms.h"

namespace seald::pki::detail {

template <auto Free>
using OpenSslFree = seald::OpenSslFree<Free>;

using X509Ptr = std::unique_ptr<X509, OpenSslFree<X509_free>>;
using X509CrlPtr = std::unique_ptr<X509_CRL, OpenSslFree<X509_CRL_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OpenSslFree<X509_NAME_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslFree<X509_EXTENSION_free>>;
using X509RevokedPtr = std::unique_ptr<X509_REVOKED, OpenSslFree<X509_REVOKED_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslFree<BN_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, OpenSslFree<ASN1_INTEGER_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, OpenSslFree<ASN1_TIME_free>>;
using Asn1EnumeratedPtr = std::unique_ptr<ASN1_ENUMERATED, OpenSslFree<ASN1_ENUMERATED_free>>;
// OPENSSL_free is a macro, so it needs a function to be a template argument.
inline void openssl_free(void* p) {
  OPENSSL_free(p);
}
using OpenSslBytes = std::unique_ptr<unsigned char, OpenSslFree<openssl_free>>;

using Bytes = std::vector<std::uint8_t>;

// Error{code, "<what>: <first OpenSSL error>"}, clearing the error queue.
Error openssl_error(std::string code, std::string_view what);

// A name from (NID, UTF-8 value) pairs, in order.
Result<X509NamePtr> make_name(const std::vector<std::pair<int, std::string>>& entries);

// Adds an extension written in OpenSSL's config syntax ("critical,CA:TRUE"),
// resolved against ctx (subject, issuer, CRL).
Status add_extension(X509* cert, X509V3_CTX* ctx, int nid, const char* value);
Status add_crl_extension(X509_CRL* crl, X509V3_CTX* ctx, int nid, const char* value);

// 128 random bits, top bit clear (a positive INTEGER of at most 16 bytes),
// never zero.
Result<BignumPtr> random_serial();
// Lower-case hex without leading zeros: the form serials are kept in.
std::string serial_hex(const BIGNUM* serial);
// Parses and normalises a serial written in hex; nullopt-like error
// serial_invalid for anything else.
Result<BignumPtr> parse_serial_hex(std::string_view text);

Result<Asn1TimePtr> asn1_time(std::chrono::system_clock::time_point when);
std::chrono::system_clock::time_point to_time_point(const ASN1_TIME* time);

Result<EvpPkeyPtr> parse_public_key(const Bytes& spki_der);
Result<X509Ptr> parse_certificate(const Bytes& der);
Result<Bytes> certificate_to_der(X509* cert);
std::string der_to_pem(const Bytes& der, std::string_view label);

// The OpenSSL digest of one of our hash algorithms.
const EVP_MD* message_digest(hsm::HashAlgorithm hash);

}  // namespace seald::pki::detail
