#include "pki/ca_documents.h"

#include <array>
#include <utility>

namespace seald::pki::detail {
namespace {

using Clock = std::chrono::system_clock;

Status set_validity(X509* cert, Clock::time_point not_before, Clock::time_point not_after) {
  auto from = asn1_time(not_before);
  auto to = asn1_time(not_after);
  if (!from || !to) {
    return from ? to.error() : from.error();
  }
  if (X509_set1_notBefore(cert, from->get()) != 1 || X509_set1_notAfter(cert, to->get()) != 1) {
    return openssl_error("pki_internal", "setting the validity");
  }
  return {};
}

Status set_serial(X509* cert, BIGNUM* serial) {
  Asn1IntegerPtr integer(BN_to_ASN1_INTEGER(serial, nullptr));
  if (!integer || X509_set_serialNumber(cert, integer.get()) != 1) {
    return openssl_error("pki_internal", "setting the serial number");
  }
  return {};
}

// Whole seconds: certificates carry no fractions, and a clipped validity
// compared with the CA's own must compare equal when it is equal.
Clock::time_point to_seconds(Clock::time_point t) {
  return std::chrono::time_point_cast<std::chrono::seconds>(t);
}

}  // namespace

std::optional<int> crl_reason_code(std::string_view name) {
  // RFC 5280 section 5.3.1; 7 is unused.
  static constexpr std::array<std::pair<std::string_view, int>, 10> kReasons{{
      {"unspecified", 0},
      {"keyCompromise", 1},
      {"cACompromise", 2},
      {"affiliationChanged", 3},
      {"superseded", 4},
      {"cessationOfOperation", 5},
      {"certificateHold", 6},
      {"removeFromCRL", 8},
      {"privilegeWithdrawn", 9},
      {"aACompromise", 10},
  }};
  for (const auto& [reason, code] : kReasons) {
    if (reason == name) {
      return code;
    }
  }
  return std::nullopt;
}

Result<Bytes> make_root_certificate(const CaOptions& options, const HsmSignature& signer) {
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return openssl_error("pki_internal", "X509_new");
  }
  auto serial = random_serial();
  if (!serial) {
    return serial.error();
  }
  if (auto s = set_serial(cert.get(), serial->get()); !s) {
    return s.error();
  }
  auto name = make_name(
      {{NID_commonName, options.common_name}, {NID_organizationName, options.organisation}});
  if (!name) {
    return name.error();
  }
  if (X509_set_subject_name(cert.get(), name->get()) != 1 ||
      X509_set_issuer_name(cert.get(), name->get()) != 1 ||
      X509_set_pubkey(cert.get(), signer.public_key()) != 1) {
    return openssl_error("pki_internal", "setting the root's names and key");
  }
  auto now = to_seconds(Clock::now());
  // Years of 365.25 days: close enough for a validity counted in years.
  auto lifetime = std::chrono::hours(24 * 36525 / 100) * options.validity_years;
  if (auto s = set_validity(cert.get(), now, now + lifetime); !s) {
    return s.error();
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  // The SKI goes first: the AKI of a self-signed certificate is copied from it.
  for (auto [nid, value] : std::initializer_list<std::pair<int, const char*>>{
           {NID_basic_constraints, "critical,CA:TRUE"},
           {NID_key_usage, "critical,keyCertSign,cRLSign"},
           {NID_subject_key_identifier, "hash"},
           {NID_authority_key_identifier, "keyid:always"},
       }) {
    if (auto s = add_extension(cert.get(), &ctx, nid, value); !s) {
      return s.error();
    }
  }
  return signer.sign_certificate(cert.get());
}

Result<IssuedCertificate> make_seal_certificate(X509* ca, const SealCertificateRequest& request,
                                                const HsmSignature& signer) {
  if (request.seal_name.empty() || request.org_name.empty() || request.seal_code.empty() ||
      request.credit_code.empty()) {
    return Error{"certificate_request_invalid",
                 "seal name, org name, seal code and credit code are all required"};
  }
  auto not_before =
      std::max(to_seconds(request.not_before), to_time_point(X509_get0_notBefore(ca)));
  auto not_after = std::min(to_seconds(request.not_after), to_time_point(X509_get0_notAfter(ca)));
  if (not_after <= not_before) {
    return Error{"certificate_request_invalid",
                 "the validity is empty (or lies outside the CA's own)"};
  }
  auto public_key = parse_public_key(request.public_key_der);
  if (!public_key) {
    return public_key.error();
  }
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return openssl_error("pki_internal", "X509_new");
  }
  auto serial = random_serial();
  if (!serial) {
    return serial.error();
  }
  if (auto s = set_serial(cert.get(), serial->get()); !s) {
    return s.error();
  }
  auto subject = make_name({{NID_organizationName, request.org_name},
                            {NID_organizationIdentifier, request.credit_code},
                            {NID_serialNumber, request.seal_code},
                            {NID_commonName, request.seal_name}});
  if (!subject) {
    return subject.error();
  }
  if (X509_set_subject_name(cert.get(), subject->get()) != 1 ||
      X509_set_issuer_name(cert.get(), X509_get_subject_name(ca)) != 1 ||
      X509_set_pubkey(cert.get(), public_key->get()) != 1) {
    return openssl_error("pki_internal", "setting the certificate's names and key");
  }
  if (auto s = set_validity(cert.get(), not_before, not_after); !s) {
    return s.error();
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, ca, cert.get(), nullptr, nullptr, 0);
  for (auto [nid, value] : std::initializer_list<std::pair<int, const char*>>{
           {NID_basic_constraints, "critical,CA:FALSE"},
           {NID_key_usage, "critical,digitalSignature,nonRepudiation"},
           {NID_subject_key_identifier, "hash"},
           {NID_authority_key_identifier, "keyid:always"},
       }) {
    if (auto s = add_extension(cert.get(), &ctx, nid, value); !s) {
      return s.error();
    }
  }
  auto der = signer.sign_certificate(cert.get());
  if (!der) {
    return der.error();
  }
  return IssuedCertificate{std::move(*der), serial_hex(serial->get())};
}

Result<Bytes> make_crl(X509* ca, const std::vector<Revocation>& revocations, long long number,
                       Clock::time_point now, std::chrono::hours validity,
                       const HsmSignature& signer) {
  X509CrlPtr crl(X509_CRL_new());
  if (!crl || X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca)) != 1) {
    return openssl_error("pki_internal", "X509_CRL_new");
  }
  auto this_update = asn1_time(to_seconds(now));
  auto next_update = asn1_time(to_seconds(now) + validity);
  if (!this_update || !next_update ||
      X509_CRL_set1_lastUpdate(crl.get(), this_update->get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next_update->get()) != 1) {
    return openssl_error("pki_internal", "setting the CRL's update times");
  }
  for (const auto& revocation : revocations) {
    auto serial = parse_serial_hex(revocation.serial_hex);
    auto reason = crl_reason_code(revocation.reason);
    if (!serial || !reason) {
      return Error{"ca_state_corrupt", "a stored revocation has a bad serial or reason"};
    }
    X509RevokedPtr entry(X509_REVOKED_new());
    Asn1IntegerPtr integer(BN_to_ASN1_INTEGER(serial->get(), nullptr));
    auto when = asn1_time(Clock::time_point(std::chrono::milliseconds(revocation.revoked_at_ms)));
    Asn1EnumeratedPtr code(ASN1_ENUMERATED_new());
    if (!entry || !integer || !when || !code || ASN1_ENUMERATED_set(code.get(), *reason) != 1 ||
        X509_REVOKED_set_serialNumber(entry.get(), integer.get()) != 1 ||
        X509_REVOKED_set_revocationDate(entry.get(), when->get()) != 1 ||
        X509_REVOKED_add1_ext_i2d(entry.get(), NID_crl_reason, code.get(), 0, 0) != 1 ||
        X509_CRL_add0_revoked(crl.get(), entry.get()) != 1) {
      return openssl_error("pki_internal", "adding a revoked certificate to the CRL");
    }
    entry.release();  // the CRL owns it now
  }
  X509_CRL_sort(crl.get());
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, ca, nullptr, nullptr, crl.get(), 0);
  if (auto s = add_crl_extension(crl.get(), &ctx, NID_authority_key_identifier, "keyid:always");
      !s) {
    return s.error();
  }
  Asn1IntegerPtr crl_number(ASN1_INTEGER_new());
  if (!crl_number || ASN1_INTEGER_set_int64(crl_number.get(), number) != 1 ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, crl_number.get(), 0, 0) != 1) {
    return openssl_error("pki_internal", "adding the CRL number");
  }
  return signer.sign_crl(crl.get());
}

}  // namespace seald::pki::detail
