#include "pki/cms_signed_data.h"

#include <memory>
#include <string>

#include <openssl/asn1t.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "pki/x509_parts.h"

namespace seald::pki {
namespace {

using detail::openssl_error;
using detail::OpenSslBytes;
using detail::X509Ptr;

using CmsPtr = std::unique_ptr<CMS_ContentInfo, OpenSslFree<CMS_ContentInfo_free>>;
using X509AlgorPtr = std::unique_ptr<X509_ALGOR, OpenSslFree<X509_ALGOR_free>>;
using Asn1StringPtr = std::unique_ptr<ASN1_STRING, OpenSslFree<ASN1_STRING_free>>;
using PssParamsPtr = std::unique_ptr<RSA_PSS_PARAMS, OpenSslFree<RSA_PSS_PARAMS_free>>;
// sk_X509_ATTRIBUTE_free is a macro, so it needs a function to be a template
// argument. It frees the stack, not its items: these stacks are views of
// attributes the SignerInfo owns.
void free_attribute_view(STACK_OF(X509_ATTRIBUTE) * view) {
  sk_X509_ATTRIBUTE_free(view);
}
using AttributeViewPtr =
    std::unique_ptr<STACK_OF(X509_ATTRIBUTE), OpenSslFree<free_attribute_view>>;

int ecdsa_nid(hsm::HashAlgorithm hash) {
  switch (hash) {
    case hsm::HashAlgorithm::sha256:
      return NID_ecdsa_with_SHA256;
    case hsm::HashAlgorithm::sha384:
      return NID_ecdsa_with_SHA384;
    case hsm::HashAlgorithm::sha512:
      return NID_ecdsa_with_SHA512;
  }
  return NID_ecdsa_with_SHA256;
}

// RSASSA-PSS-params (RFC 4055 section 3.1) for what hsm::sign_hash does:
// MGF1 with the message hash and a salt as long as the hash; the trailer
// field keeps its default and is left out.
Result<Asn1StringPtr> pss_parameters(hsm::HashAlgorithm hash) {
  PssParamsPtr params(RSA_PSS_PARAMS_new());
  X509AlgorPtr mgf_hash(X509_ALGOR_new());
  if (!params || !mgf_hash) {
    return openssl_error("cms_build_failed", "allocating the PSS parameters");
  }
  params->hashAlgorithm = X509_ALGOR_new();
  params->maskGenAlgorithm = X509_ALGOR_new();
  params->saltLength = ASN1_INTEGER_new();
  if (params->hashAlgorithm == nullptr || params->maskGenAlgorithm == nullptr ||
      params->saltLength == nullptr) {
    return openssl_error("cms_build_failed", "allocating the PSS parameters");
  }
  X509_ALGOR_set_md(params->hashAlgorithm, detail::message_digest(hash));
  X509_ALGOR_set_md(mgf_hash.get(), detail::message_digest(hash));
  Asn1StringPtr mgf_parameter(ASN1_item_pack(mgf_hash.get(), ASN1_ITEM_rptr(X509_ALGOR), nullptr));
  if (!mgf_parameter || X509_ALGOR_set0(params->maskGenAlgorithm, OBJ_nid2obj(NID_mgf1),
                                        V_ASN1_SEQUENCE, mgf_parameter.get()) != 1) {
    return openssl_error("cms_build_failed", "encoding the MGF1 parameters");
  }
  mgf_parameter.release();  // now the maskGenAlgorithm's
  if (ASN1_INTEGER_set(params->saltLength, static_cast<long>(hsm::hash_length(hash))) != 1) {
    return openssl_error("cms_build_failed", "encoding the PSS salt length");
  }
  Asn1StringPtr encoded(ASN1_item_pack(params.get(), ASN1_ITEM_rptr(RSA_PSS_PARAMS), nullptr));
  if (!encoded) {
    return openssl_error("cms_build_failed", "encoding the PSS parameters");
  }
  return encoded;
}

// Overwrites whatever OpenSSL guessed from the key with the algorithm the
// signer really uses: for RSA OpenSSL cannot know PKCS#1 v1.5 from PSS.
Status set_signature_algorithm(X509_ALGOR* algorithm, hsm::SignScheme scheme,
                               hsm::HashAlgorithm hash) {
  switch (scheme) {
    case hsm::SignScheme::ecdsa:
      // RFC 5758 section 3.2: no parameters for ecdsa-with-SHA2.
      X509_ALGOR_set0(algorithm, OBJ_nid2obj(ecdsa_nid(hash)), V_ASN1_UNDEF, nullptr);
      return {};
    case hsm::SignScheme::rsa_pkcs1_v15:
      // RFC 3370 section 3.2: rsaEncryption with NULL parameters.
      X509_ALGOR_set0(algorithm, OBJ_nid2obj(NID_rsaEncryption), V_ASN1_NULL, nullptr);
      return {};
    case hsm::SignScheme::rsa_pss: {
      auto params = pss_parameters(hash);
      if (!params) {
        return params.error();
      }
      if (X509_ALGOR_set0(algorithm, OBJ_nid2obj(NID_rsassaPss), V_ASN1_SEQUENCE, params->get()) !=
          1) {
        return openssl_error("cms_build_failed", "setting the PSS algorithm");
      }
      params->release();
      return {};
    }
  }
  return make_error("cms_build_failed", "unknown signature scheme");
}

Status add_signed_attributes(CMS_SignerInfo* signer, const CmsInput& input) {
  auto signing_time = detail::asn1_time(input.signing_time);
  if (!signing_time) {
    return make_error("cms_build_failed", "the signing time cannot be encoded");
  }
  // len -1 hands over an ASN1_TYPE value (the object, the time) rather than bytes.
  if (CMS_signed_add1_attr_by_NID(signer, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                  OBJ_nid2obj(NID_pkcs7_data), -1) != 1 ||
      CMS_signed_add1_attr_by_NID(signer, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING,
                                  input.digest.data(),
                                  static_cast<int>(input.digest.size())) != 1 ||
      CMS_signed_add1_attr_by_NID(signer, NID_pkcs9_signingTime,
                                  ASN1_STRING_type(signing_time->get()), signing_time->get(),
                                  -1) != 1) {
    return openssl_error("cms_build_failed", "adding the signed attributes");
  }
  return {};
}

// RFC 5652 section 5.4: the signature covers the signed attributes encoded
// as a DER SET OF (tag 0x31), not with the [0] tag they carry in the
// SignerInfo. PKCS7_ATTR_SIGN is that encoding, sorted as DER wants, which
// is also the order the SignerInfo itself is written in.
Result<Bytes> signed_attributes_der(CMS_SignerInfo* signer) {
  AttributeViewPtr attributes(sk_X509_ATTRIBUTE_new_null());
  if (!attributes) {
    return openssl_error("cms_build_failed", "allocating the attribute list");
  }
  for (int i = 0; i < CMS_signed_get_attr_count(signer); ++i) {
    if (sk_X509_ATTRIBUTE_push(attributes.get(), CMS_signed_get_attr(signer, i)) <= 0) {
      return openssl_error("cms_build_failed", "listing the signed attributes");
    }
  }
  unsigned char* der = nullptr;
  int length = ASN1_item_i2d(reinterpret_cast<ASN1_VALUE*>(attributes.get()), &der,
                             ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
  if (length <= 0) {
    return openssl_error("cms_build_failed", "encoding the signed attributes");
  }
  OpenSslBytes owned(der);
  return Bytes(der, der + length);
}

Result<Bytes> hash_of(const Bytes& data, hsm::HashAlgorithm hash) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, detail::message_digest(hash),
                 nullptr) != 1) {
    return openssl_error("cms_build_failed", "hashing the signed attributes");
  }
  return Bytes(digest, digest + length);
}

bool scheme_fits_certificate(hsm::SignScheme scheme, X509* cert) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (key == nullptr) {
    return false;
  }
  return scheme == hsm::SignScheme::ecdsa ? EVP_PKEY_is_a(key, "EC") == 1
                                          : EVP_PKEY_is_a(key, "RSA") == 1;
}

}  // namespace

Result<Bytes> build_detached_cms(const CmsInput& input, const HashSigner& sign) {
  if (input.digest.size() != hsm::hash_length(input.hash_algorithm)) {
    return make_error("hash_length_mismatch",
                      "the digest is " + std::to_string(input.digest.size()) + " bytes, " +
                          std::string(hsm::name(input.hash_algorithm)) + " makes " +
                          std::to_string(hsm::hash_length(input.hash_algorithm)));
  }
  const unsigned char* p = input.certificate_der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(input.certificate_der.size())));
  if (!cert || p != input.certificate_der.data() + input.certificate_der.size()) {
    return openssl_error("certificate_invalid", "the seal certificate does not parse");
  }
  if (!scheme_fits_certificate(input.scheme, cert.get())) {
    return make_error("certificate_invalid", "the seal certificate's key cannot make " +
                                                 std::string(hsm::name(input.scheme)) +
                                                 " signatures");
  }

  CmsPtr cms(CMS_ContentInfo_new());
  if (!cms || CMS_SignedData_init(cms.get()) != 1 || CMS_set_detached(cms.get(), 1) != 1) {
    return openssl_error("cms_build_failed", "creating the SignedData");
  }
  // OpenSSL wants a key matching the certificate but, without CMS_KEY_PARAM
  // and with no content to finalise, never signs with it: the certificate's
  // own public key is enough. NOSMIMECAP keeps the attributes to the three
  // a detached seal signature needs.
  CMS_SignerInfo* signer =
      CMS_add1_signer(cms.get(), cert.get(), X509_get0_pubkey(cert.get()),
                      detail::message_digest(input.hash_algorithm), CMS_PARTIAL | CMS_NOSMIMECAP);
  if (signer == nullptr) {
    return openssl_error("cms_build_failed", "adding the signer");
  }
  X509_ALGOR* signature_algorithm = nullptr;
  CMS_SignerInfo_get0_algs(signer, nullptr, nullptr, nullptr, &signature_algorithm);
  if (auto set = set_signature_algorithm(signature_algorithm, input.scheme, input.hash_algorithm);
      !set) {
    return set.error();
  }
  if (auto added = add_signed_attributes(signer, input); !added) {
    return added.error();
  }

  auto attributes = signed_attributes_der(signer);
  if (!attributes) {
    return attributes.error();
  }
  auto to_sign = hash_of(*attributes, input.hash_algorithm);
  if (!to_sign) {
    return to_sign.error();
  }
  auto signature = sign(*to_sign);
  if (!signature) {
    return signature.error();
  }
  if (ASN1_STRING_set(CMS_SignerInfo_get0_signature(signer), signature->data(),
                      static_cast<int>(signature->size())) != 1) {
    return openssl_error("cms_build_failed", "storing the signature");
  }

  unsigned char* der = nullptr;
  int length = i2d_CMS_ContentInfo(cms.get(), &der);
  if (length <= 0) {
    return openssl_error("cms_build_failed", "encoding the ContentInfo");
  }
  OpenSslBytes owned(der);
  return Bytes(der, der + length);
}

}  // namespace seald::pki
