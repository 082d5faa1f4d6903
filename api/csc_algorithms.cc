// signAlgo → HSM scheme and hash. The digest a client hashed with must be
// unambiguous: from the signAlgo itself (ecdsa-with-SHAxxx, shaxxxWithRSA),
// from the hash algorithm OID (rsaEncryption), or from the RSASSA-PSS
// parameters. Only the PSS profile the HSM makes is accepted: MGF1 with the
// same hash, salt as long as the hash, trailer 1.

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>

#include "api/csc_handlers.h"
#include "core/base64.h"
#include "core/openssl_free.h"

namespace seald::api::csc {
namespace {

using PssParamsPtr = std::unique_ptr<RSA_PSS_PARAMS, OpenSslFree<RSA_PSS_PARAMS_free>>;
using AlgorPtr = std::unique_ptr<X509_ALGOR, OpenSslFree<X509_ALGOR_free>>;

std::optional<hsm::HashAlgorithm> hash_of(const X509_ALGOR* algor) {
  switch (OBJ_obj2nid(algor->algorithm)) {
    case NID_sha256:
      return hsm::HashAlgorithm::sha256;
    case NID_sha384:
      return hsm::HashAlgorithm::sha384;
    case NID_sha512:
      return hsm::HashAlgorithm::sha512;
    default:
      return std::nullopt;
  }
}

Error bad_params(std::string why) {
  return invalid_request("Invalid parameter signAlgoParams: " + why);
}

// The hash RSASSA-PSS-params name, if they describe what the HSM does.
Result<hsm::HashAlgorithm> pss_hash(const std::string& params_b64) {
  auto der = base64_decode(params_b64);
  if (!der) {
    return bad_params("not base64");
  }
  const unsigned char* p = der->data();
  PssParamsPtr params(d2i_RSA_PSS_PARAMS(nullptr, &p, static_cast<long>(der->size())));
  if (!params || p != der->data() + der->size()) {
    return bad_params("not DER RSASSA-PSS-params");
  }
  // An absent hash or mask means SHA-1, which we do not sign with.
  if (!params->hashAlgorithm || !params->maskGenAlgorithm) {
    return bad_params("SHA-1 is not supported");
  }
  auto hash = hash_of(params->hashAlgorithm);
  if (!hash) {
    return bad_params("hash must be SHA-256, SHA-384 or SHA-512");
  }
  const ASN1_TYPE* mgf_param = params->maskGenAlgorithm->parameter;
  if (OBJ_obj2nid(params->maskGenAlgorithm->algorithm) != NID_mgf1 || !mgf_param ||
      mgf_param->type != V_ASN1_SEQUENCE) {
    return bad_params("only MGF1 is supported");
  }
  const unsigned char* q = mgf_param->value.sequence->data;
  AlgorPtr mgf_hash(d2i_X509_ALGOR(nullptr, &q, mgf_param->value.sequence->length));
  if (!mgf_hash || hash_of(mgf_hash.get()) != hash) {
    return bad_params("MGF1 must use the signature's hash");
  }
  // saltLength defaults to 20, which is no hash length we sign with.
  long salt = params->saltLength ? ASN1_INTEGER_get(params->saltLength) : 20;
  if (salt != static_cast<long>(hsm::hash_length(*hash))) {
    return bad_params("the salt must be as long as the hash");
  }
  if (params->trailerField && ASN1_INTEGER_get(params->trailerField) != 1) {
    return bad_params("trailerField must be 1");
  }
  return *hash;
}

}  // namespace

Result<SignatureChoice> choose_signature(std::string_view sign_algo,
                                         const std::optional<std::string>& hash_oid,
                                         const std::optional<std::string>& params_b64,
                                         std::string_view hash_field) {
  std::optional<hsm::HashAlgorithm> given;
  if (hash_oid) {
    given = hash_from_oid(*hash_oid);
    if (!given) {
      return invalid_request("Invalid parameter " + std::string(hash_field) +
                             " (SHA-256, SHA-384 or SHA-512 by OID)");
    }
  }
  auto implied = [&](hsm::SignScheme scheme, std::size_t i) -> Result<SignatureChoice> {
    auto hash = static_cast<hsm::HashAlgorithm>(i);
    if (given && *given != hash) {
      return invalid_request("Invalid parameter " + std::string(hash_field) +
                             " (it does not match signAlgo)");
    }
    return SignatureChoice{scheme, hash};
  };
  for (std::size_t i = 0; i < 3; ++i) {
    if (sign_algo == kEcdsaOids[i]) {
      return implied(hsm::SignScheme::ecdsa, i);
    }
    if (sign_algo == kRsaPkcs1Oids[i]) {
      return implied(hsm::SignScheme::rsa_pkcs1_v15, i);
    }
  }
  if (sign_algo == kRsaEncryptionOid) {
    if (!given) {
      return invalid_request("Missing parameter " + std::string(hash_field) +
                             " (rsaEncryption needs it)");
    }
    return SignatureChoice{hsm::SignScheme::rsa_pkcs1_v15, *given};
  }
  if (sign_algo == kRsaPssOid) {
    if (!params_b64) {
      if (!given) {
        return invalid_request("RSASSA-PSS needs signAlgoParams or " + std::string(hash_field));
      }
      return SignatureChoice{hsm::SignScheme::rsa_pss, *given};
    }
    auto hash = pss_hash(*params_b64);
    if (!hash) {
      return hash.error();
    }
    return implied(hsm::SignScheme::rsa_pss, static_cast<std::size_t>(*hash));
  }
  return invalid_request("Invalid parameter signAlgo");
}

}  // namespace seald::api::csc
