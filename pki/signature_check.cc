#include "pki/signature_check.h"

#include <algorithm>
#include <memory>

#include <openssl/asn1t.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "pki/x509_parts.h"

namespace seald::pki {
namespace {

using detail::openssl_error;
using detail::X509Ptr;

using CmsPtr = std::unique_ptr<CMS_ContentInfo, OpenSslFree<CMS_ContentInfo_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslFree<EVP_PKEY_CTX_free>>;
using X509AlgorPtr = std::unique_ptr<X509_ALGOR, OpenSslFree<X509_ALGOR_free>>;
using PssParamsPtr = std::unique_ptr<RSA_PSS_PARAMS, OpenSslFree<RSA_PSS_PARAMS_free>>;

// A "no" leaves OpenSSL's reasons on its error queue; they are not ours to
// report, and must not be blamed on the next caller's failure.
bool rejected() {
  ERR_clear_error();
  return false;
}

Result<X509Ptr> certificate(const Bytes& der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert || p != der.data() + der.size() || X509_get0_pubkey(cert.get()) == nullptr) {
    return openssl_error("certificate_invalid", "the certificate does not parse");
  }
  return cert;
}

Status check_length(hsm::HashAlgorithm hash, std::span<const std::uint8_t> digest) {
  if (digest.size() != hsm::hash_length(hash)) {
    return make_error("hash_length_mismatch", "the digest is " + std::to_string(digest.size()) +
                                                  " bytes, " + std::string(hsm::name(hash)) +
                                                  " makes " +
                                                  std::to_string(hsm::hash_length(hash)));
  }
  return {};
}

bool is_ec(EVP_PKEY* key) {
  return EVP_PKEY_is_a(key, "EC") == 1;
}

bool is_rsa(EVP_PKEY* key) {
  return EVP_PKEY_is_a(key, "RSA") == 1;
}

// Absent or NULL: the two spellings of "no parameters" found in the wild.
bool no_parameters(const X509_ALGOR* algorithm) {
  int type = V_ASN1_UNDEF;
  X509_ALGOR_get0(nullptr, &type, nullptr, algorithm);
  return type == V_ASN1_UNDEF || type == V_ASN1_NULL;
}

int algorithm_nid(const X509_ALGOR* algorithm) {
  const ASN1_OBJECT* object = nullptr;
  X509_ALGOR_get0(&object, nullptr, nullptr, algorithm);
  return OBJ_obj2nid(object);
}

// The SEQUENCE parameters of an AlgorithmIdentifier decoded as `item`; null
// when they are absent or of another shape.
void* unpack_parameters(const X509_ALGOR* algorithm, const ASN1_ITEM* item) {
  int type = V_ASN1_UNDEF;
  const void* value = nullptr;
  X509_ALGOR_get0(nullptr, &type, &value, algorithm);
  if (type != V_ASN1_SEQUENCE) {
    return nullptr;
  }
  return ASN1_item_unpack(static_cast<const ASN1_STRING*>(value), item);
}

// PSS must hash and mask with the digest algorithm the SignerInfo names;
// the salt length is left to OpenSSL's verification.
bool pss_uses(const X509_ALGOR* algorithm, const EVP_MD* md) {
  PssParamsPtr params(
      static_cast<RSA_PSS_PARAMS*>(unpack_parameters(algorithm, ASN1_ITEM_rptr(RSA_PSS_PARAMS))));
  // Absent hash or mask algorithms mean SHA-1, which seald never accepts.
  if (!params || params->hashAlgorithm == nullptr || params->maskGenAlgorithm == nullptr ||
      algorithm_nid(params->hashAlgorithm) != EVP_MD_get_type(md) ||
      algorithm_nid(params->maskGenAlgorithm) != NID_mgf1) {
    return false;
  }
  X509AlgorPtr mask_hash(static_cast<X509_ALGOR*>(
      unpack_parameters(params->maskGenAlgorithm, ASN1_ITEM_rptr(X509_ALGOR))));
  return mask_hash && algorithm_nid(mask_hash.get()) == EVP_MD_get_type(md);
}

// The signatureAlgorithm must be one this key and digest make. OpenSSL
// verifies ECDSA and PKCS#1 v1.5 from the key and digest alone, so without
// this check a CMS whose algorithm field was altered would still pass.
bool algorithm_fits(const X509_ALGOR* algorithm, EVP_PKEY* key, const EVP_MD* md) {
  int nid = algorithm_nid(algorithm);
  if (is_ec(key)) {
    int with_digest = NID_undef;
    return OBJ_find_sigid_by_algs(&with_digest, EVP_MD_get_type(md), NID_X9_62_id_ecPublicKey) ==
               1 &&
           nid == with_digest && no_parameters(algorithm);
  }
  if (!is_rsa(key)) {
    return false;
  }
  if (nid == NID_rsassaPss) {
    return pss_uses(algorithm, md);
  }
  int with_digest = NID_undef;
  bool known = OBJ_find_sigid_by_algs(&with_digest, EVP_MD_get_type(md), NID_rsaEncryption) == 1;
  return (nid == NID_rsaEncryption || (known && nid == with_digest)) && no_parameters(algorithm);
}

bool attribute_equals(const ASN1_OCTET_STRING* value, std::span<const std::uint8_t> expected) {
  return value != nullptr &&
         static_cast<std::size_t>(ASN1_STRING_length(value)) == expected.size() &&
         std::equal(expected.begin(), expected.end(), ASN1_STRING_get0_data(value));
}

bool signer_signed(CMS_ContentInfo* cms, CMS_SignerInfo* signer, X509* cert, const EVP_MD* md,
                   std::span<const std::uint8_t> digest) {
  if (CMS_SignerInfo_cert_cmp(signer, cert) != 0) {
    return false;
  }
  X509_ALGOR* digest_algorithm = nullptr;
  X509_ALGOR* signature_algorithm = nullptr;
  CMS_SignerInfo_get0_algs(signer, nullptr, nullptr, &digest_algorithm, &signature_algorithm);
  if (digest_algorithm == nullptr || signature_algorithm == nullptr ||
      algorithm_nid(digest_algorithm) != EVP_MD_get_type(md) ||
      !algorithm_fits(signature_algorithm, X509_get0_pubkey(cert), md)) {
    return false;
  }
  // -3: the attribute must be there exactly once (RFC 5652 section 11).
  auto* message_digest = static_cast<ASN1_OCTET_STRING*>(CMS_signed_get0_data_by_OBJ(
      signer, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING));
  auto* content_type = static_cast<ASN1_OBJECT*>(
      CMS_signed_get0_data_by_OBJ(signer, OBJ_nid2obj(NID_pkcs9_contentType), -3, V_ASN1_OBJECT));
  const ASN1_OBJECT* encapsulated = CMS_get0_eContentType(cms);
  if (!attribute_equals(message_digest, digest) || content_type == nullptr ||
      encapsulated == nullptr || OBJ_cmp(content_type, encapsulated) != 0) {
    return false;
  }
  // The given certificate, not one the CMS carries, supplies the key.
  CMS_SignerInfo_set1_signer_cert(signer, cert);
  return CMS_SignerInfo_verify(signer) == 1;
}

}  // namespace

Result<bool> check_raw_signature(const Bytes& certificate_der, hsm::SignScheme scheme,
                                 hsm::HashAlgorithm hash, std::span<const std::uint8_t> digest,
                                 std::span<const std::uint8_t> signature) {
  auto cert = certificate(certificate_der);
  if (!cert) {
    return cert.error();
  }
  if (auto length = check_length(hash, digest); !length) {
    return length.error();
  }
  EVP_PKEY* key = X509_get0_pubkey(cert->get());
  if (scheme == hsm::SignScheme::ecdsa ? !is_ec(key) : !is_rsa(key)) {
    return false;  // this key cannot have made a signature of this scheme
  }
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  const EVP_MD* md = detail::message_digest(hash);
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), md) != 1) {
    return openssl_error("certificate_invalid", "the certificate's key cannot verify");
  }
  if (scheme == hsm::SignScheme::rsa_pkcs1_v15 &&
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) {
    return openssl_error("certificate_invalid", "the certificate's key cannot verify");
  }
  // The same PSS parameters hsm::sign_hash uses: MGF1 with the message hash,
  // salt as long as the hash.
  if (scheme == hsm::SignScheme::rsa_pss &&
      (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PSS_PADDING) != 1 ||
       EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md) != 1 ||
       EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), static_cast<int>(hsm::hash_length(hash))) !=
           1)) {
    return openssl_error("certificate_invalid", "the certificate's key cannot verify");
  }
  if (EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), digest.data(),
                      digest.size()) != 1) {
    return rejected();
  }
  return true;
}

Result<bool> check_detached_cms(const Bytes& certificate_der, hsm::HashAlgorithm hash,
                                std::span<const std::uint8_t> digest,
                                std::span<const std::uint8_t> cms_der) {
  auto cert = certificate(certificate_der);
  if (!cert) {
    return cert.error();
  }
  if (auto length = check_length(hash, digest); !length) {
    return length.error();
  }
  const unsigned char* p = cms_der.data();
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(cms_der.size())));
  if (!cms || p != cms_der.data() + cms_der.size()) {
    return openssl_error("cms_invalid", "the CMS does not parse");
  }
  if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
    return make_error("cms_invalid", "the CMS is not SignedData");
  }
  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms.get());
  for (int i = 0; i < sk_CMS_SignerInfo_num(signers); ++i) {
    if (signer_signed(cms.get(), sk_CMS_SignerInfo_value(signers, i), cert->get(),
                      detail::message_digest(hash), digest)) {
      ERR_clear_error();
      return true;
    }
  }
  return rejected();
}

std::string signature_algorithm_oid(hsm::SignScheme scheme, hsm::HashAlgorithm hash) {
  if (scheme == hsm::SignScheme::rsa_pss) {
    return "1.2.840.113549.1.1.10";
  }
  if (scheme == hsm::SignScheme::ecdsa) {
    switch (hash) {
      case hsm::HashAlgorithm::sha256:
        return "1.2.840.10045.4.3.2";
      case hsm::HashAlgorithm::sha384:
        return "1.2.840.10045.4.3.3";
      case hsm::HashAlgorithm::sha512:
        return "1.2.840.10045.4.3.4";
    }
  }
  switch (hash) {
    case hsm::HashAlgorithm::sha256:
      return "1.2.840.113549.1.1.11";
    case hsm::HashAlgorithm::sha384:
      return "1.2.840.113549.1.1.12";
    case hsm::HashAlgorithm::sha512:
      return "1.2.840.113549.1.1.13";
  }
  return "";
}

}  // namespace seald::pki
