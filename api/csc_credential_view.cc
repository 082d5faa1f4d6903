// How a seal looks as a CSC credential: its key (status, algorithms, size,
// curve) and its certificate (status, chain, and the fields read out of the
// X.509 with OpenSSL). Shared by credentials/list and credentials/info.

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

#include <boost/json.hpp>

#include "api/csc_common.h"
#include "core/base64.h"

namespace seald::api::csc {
namespace {

namespace json = boost::json;

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

// RFC 4514 order (most specific first), UTF-8, as the specs ask for DNs.
std::string distinguished_name(const X509_NAME* name) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    return "";
  }
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

// GeneralizedTime "YYYYMMDDHHMMSSZ", as both spec versions show it.
std::string generalized_time(const ASN1_TIME* t) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) {
    return "";
  }
  char out[64];
  std::snprintf(out, sizeof out, "%04d%02d%02d%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return out;
}

std::string serial_hex(const X509* cert) {
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(
      ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr), BN_free);
  if (!bn) {
    return "";
  }
  char* text = BN_bn2hex(bn.get());
  if (!text) {
    return "";
  }
  std::string out(text);
  OPENSSL_free(text);
  return out;
}

std::string_view curve_oid(hsm::KeyAlgorithm key) {
  return key == hsm::KeyAlgorithm::ec_p384 ? "1.3.132.0.34" : "1.2.840.10045.3.1.7";
}

std::string_view certificate_status(seals::SealStatus status) {
  switch (status) {
    case seals::SealStatus::active:
      return "valid";
    case seals::SealStatus::suspended:
      return "suspended";
    case seals::SealStatus::revoked:
      return "revoked";
    case seals::SealStatus::expired:
      return "expired";
  }
  return "expired";
}

}  // namespace

Result<json::object> describe_credential(const SigningServices& s, const signing::SealState& seal,
                                         Dialect dialect, const DescribeOptions& options) {
  auto key_algorithm = hsm::parse_key_algorithm(seal.key_algorithm);
  const unsigned char* p = seal.certificate_der.data();
  std::unique_ptr<X509, X509Free> cert(
      d2i_X509(nullptr, &p, static_cast<long>(seal.certificate_der.size())));
  if (!key_algorithm || !cert) {
    return make_error("certificate_invalid",
                      "seal " + seal.code + " has no readable key algorithm or certificate");
  }
  auto status = current_status(seal);

  json::array algos;
  for (auto& oid : algorithms_for(*key_algorithm)) {
    algos.emplace_back(oid);
  }
  json::object key{{"status", status == seals::SealStatus::active ? "enabled" : "disabled"},
                   {"algo", std::move(algos)},
                   {"len", EVP_PKEY_get_bits(X509_get0_pubkey(cert.get()))}};
  if (hsm::is_ec(*key_algorithm)) {
    key["curve"] = curve_oid(*key_algorithm);
  }

  json::object c{{"status", certificate_status(status)}};
  if (options.certificates != CertificateChoice::none) {
    json::array chain{json::string(base64_encode(seal.certificate_der))};
    if (options.certificates == CertificateChoice::chain) {
      chain.emplace_back(base64_encode(s.ca_certificate_der));
    }
    c["certificates"] = std::move(chain);
  }
  if (options.cert_info) {
    c["issuerDN"] = distinguished_name(X509_get_issuer_name(cert.get()));
    c["serialNumber"] = serial_hex(cert.get());
    c["subjectDN"] = distinguished_name(X509_get_subject_name(cert.get()));
    c["validFrom"] = generalized_time(X509_get0_notBefore(cert.get()));
    c["validTo"] = generalized_time(X509_get0_notAfter(cert.get()));
  }

  json::object out{{"description", "seald e-seal " + seal.code},
                   {"key", std::move(key)},
                   {"cert", std::move(c)},
                   {"SCAL", "1"},
                   {"multisign", s.limits.max_hashes},
                   {"lang", "en-US"}};
  if (dialect == Dialect::v2) {
    if (options.auth_info) {
      out["auth"] = json::object{{"mode", "implicit"}};
    }
  } else {
    // v1.0.4 always states the mode; no PIN, no OTP.
    out["authMode"] = "implicit";
    out["PIN"] = json::object{{"presence", "false"}};
    out["OTP"] = json::object{{"presence", "false"}};
  }
  return out;
}

}  // namespace seald::api::csc
