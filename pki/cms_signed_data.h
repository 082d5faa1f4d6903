#pragma once

// Detached CMS SignedData (RFC 5652) for a document hash a client sent: the
// document never reaches seald, so the message-digest attribute is the
// client's hash and the signature over the signed attributes comes from a
// callback (the seal key in the HSM). The result verifies with
// `openssl cms -verify -binary -content DOC`.

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/error.h"
#include "hsm/algorithms.h"

namespace seald::pki {

using Bytes = std::vector<std::uint8_t>;

struct CmsInput {
  Bytes certificate_der;              // the seal certificate (included in the CMS)
  hsm::HashAlgorithm hash_algorithm;  // of the document digest (hsm/algorithms.h)
  std::vector<std::uint8_t> digest;   // the document's hash, as the client sent it
  hsm::SignScheme scheme;             // ecdsa, rsa_pkcs1_v1_5 or rsa_pss (hsm/algorithms.h)
  std::chrono::system_clock::time_point signing_time;
};

// Signs the hash (made with input.hash_algorithm) of the DER of the signed attributes.
using HashSigner = std::function<Result<std::vector<std::uint8_t>>(std::span<const std::uint8_t>)>;

// DER ContentInfo(SignedData), detached (no eContent), eContentType id-data, one SignerInfo
// (issuerAndSerialNumber of the certificate), signed attributes content-type (id-data),
// message-digest (= input.digest) and signing-time; digestAlgorithm = the hash;
// signatureAlgorithm: ecdsa-with-SHAxxx for ECDSA, rsaEncryption for PKCS#1 v1.5,
// RSASSA-PSS with its parameters (hash, MGF1 same hash, salt = hash length) for PSS;
// the certificate included. Errors: hash_length_mismatch, certificate_invalid,
// cms_build_failed, or the signer's own error unchanged (e.g. hsm_unavailable).
Result<Bytes> build_detached_cms(const CmsInput& input, const HashSigner& sign);

}  // namespace seald::pki
