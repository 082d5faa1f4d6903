#pragma once

// Checks of signatures seald made (or claims to have made), for
// POST /api/v1/verify: a raw signature over a hash, or a detached CMS. Only
// the cryptography is checked here; whether the certificate was valid,
// unrevoked and issued by seald's CA at signing time is the caller's question.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "hsm/algorithms.h"

namespace seald::pki {

using Bytes = std::vector<std::uint8_t>;

// Whether `signature` (raw: DER ECDSA-Sig-Value or the RSA block) is a valid signature of
// `digest` by the certificate's key under scheme/hash. false for a wrong signature;
// errors only for unusable input: certificate_invalid, hash_length_mismatch.
Result<bool> check_raw_signature(const Bytes& certificate_der, hsm::SignScheme scheme,
                                 hsm::HashAlgorithm hash, std::span<const std::uint8_t> digest,
                                 std::span<const std::uint8_t> signature);

// Whether a detached CMS (DER) is a valid signature, by the given certificate's key, of a
// document whose hash is `digest`: the message-digest attribute equals digest, the signer
// is that certificate, and the signature over the signed attributes verifies.
// false for anything that does not hold; cms_invalid when it cannot be parsed.
Result<bool> check_detached_cms(const Bytes& certificate_der, hsm::HashAlgorithm hash,
                                std::span<const std::uint8_t> digest,
                                std::span<const std::uint8_t> cms_der);

// The OID (dotted) of the signature algorithm a scheme/hash produce, as the sign API
// reports it: ecdsa-with-SHA256 1.2.840.10045.4.3.2 (/.3/.4 for 384/512),
// sha256WithRSAEncryption 1.2.840.113549.1.1.11 (.12/.13), RSASSA-PSS 1.2.840.113549.1.1.10.
std::string signature_algorithm_oid(hsm::SignScheme scheme, hsm::HashAlgorithm hash);

}  // namespace seald::pki
