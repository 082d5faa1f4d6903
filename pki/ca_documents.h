#pragma once

// The three documents the CA signs — its own root certificate, a seal's
// certificate and the CRL — built with OpenSSL and signed through
// HsmSignature.

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "pki/ca_store.h"
#include "pki/certificate_authority.h"
#include "pki/hsm_signature.h"
#include "pki/x509_parts.h"

namespace seald::pki::detail {

// Self-signed, CA:TRUE and keyCertSign + cRLSign (both critical), SKI/AKI.
Result<Bytes> make_root_certificate(const CaOptions& options, const HsmSignature& signer);

Result<IssuedCertificate> make_seal_certificate(X509* ca, const SealCertificateRequest& request,
                                                const HsmSignature& signer);

// A v2 CRL: every revocation with its time and reason code, thisUpdate = now,
// nextUpdate = now + validity, AKI and CRL number.
Result<Bytes> make_crl(X509* ca, const std::vector<Revocation>& revocations, long long number,
                       std::chrono::system_clock::time_point now, std::chrono::hours validity,
                       const HsmSignature& signer);

// The RFC 5280 CRLReason code for a name ("keyCompromise" → 1).
std::optional<int> crl_reason_code(std::string_view name);

}  // namespace seald::pki::detail
