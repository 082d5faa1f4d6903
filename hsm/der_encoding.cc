#include "hsm/der_encoding.h"

#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <string>

#include "hsm/openssl_ptr.h"

namespace seald::hsm {
namespace {

Error invalid(const std::string& why) {
  return make_error("public_key_invalid", why);
}

Result<std::vector<std::uint8_t>> spki_from_params(const char* key_type, OSSL_PARAM_BLD* bld) {
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, key_type, nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
    return invalid("OpenSSL cannot build a public key");
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return invalid("the token's public key values do not form a valid key");
  }
  EvpPkeyPtr key(raw);
  int size = i2d_PUBKEY(key.get(), nullptr);
  if (size <= 0) {
    return invalid("cannot encode the public key");
  }
  std::vector<std::uint8_t> der(static_cast<std::size_t>(size));
  unsigned char* out = der.data();
  i2d_PUBKEY(key.get(), &out);
  return der;
}

struct Curve {
  std::string name;        // OpenSSL's short name, e.g. "prime256v1"
  std::size_t point_size;  // of an uncompressed point: 1 + 2 * field bytes
};

// The named curve in CKA_EC_PARAMS (a DER OID).
Result<Curve> curve_of(std::span<const std::uint8_t> ec_params) {
  const unsigned char* p = ec_params.data();
  std::unique_ptr<ASN1_OBJECT, OpenSslFree<ASN1_OBJECT_free>> oid(
      d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(ec_params.size())));
  if (!oid) {
    return invalid("CKA_EC_PARAMS is not a named-curve OID");
  }
  int nid = OBJ_obj2nid(oid.get());
  const char* name = nid == NID_undef ? nullptr : OBJ_nid2sn(nid);
  std::unique_ptr<EC_GROUP, OpenSslFree<EC_GROUP_free>> group(
      nid == NID_undef ? nullptr : EC_GROUP_new_by_curve_name(nid));
  if (name == nullptr || !group) {
    return invalid("CKA_EC_PARAMS names a curve OpenSSL does not know");
  }
  std::size_t field_bytes = (static_cast<std::size_t>(EC_GROUP_get_degree(group.get())) + 7) / 8;
  return Curve{name, 1 + 2 * field_bytes};
}

// The uncompressed point. PKCS#11 wraps it in a DER OCTET STRING; a few
// modules give it bare. The sizes tell the two apart: the wrapper adds two
// or three bytes, so a value of exactly point_size starting 04 is bare.
Result<std::vector<std::uint8_t>> uncompressed_point(std::span<const std::uint8_t> ec_point,
                                                     const Curve& curve) {
  if (ec_point.size() == curve.point_size && ec_point[0] == 0x04) {
    return std::vector<std::uint8_t>(ec_point.begin(), ec_point.end());
  }
  const unsigned char* p = ec_point.data();
  std::unique_ptr<ASN1_OCTET_STRING, OpenSslFree<ASN1_OCTET_STRING_free>> octets(
      d2i_ASN1_OCTET_STRING(nullptr, &p, static_cast<long>(ec_point.size())));
  if (!octets || p != ec_point.data() + ec_point.size()) {
    return invalid("CKA_EC_POINT is neither a DER OCTET STRING nor a bare point");
  }
  const unsigned char* data = ASN1_STRING_get0_data(octets.get());
  return std::vector<std::uint8_t>(data, data + ASN1_STRING_length(octets.get()));
}

}  // namespace

Result<std::vector<std::uint8_t>> ec_public_key_der(std::span<const std::uint8_t> ec_params,
                                                    std::span<const std::uint8_t> ec_point) {
  auto curve = curve_of(ec_params);
  if (!curve) {
    return curve.error();
  }
  auto point = uncompressed_point(ec_point, *curve);
  if (!point) {
    return point.error();
  }
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve->name.c_str(),
                                      0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point->data(),
                                       point->size()) != 1) {
    return invalid("OpenSSL cannot build an EC public key");
  }
  return spki_from_params("EC", bld.get());
}

Result<std::vector<std::uint8_t>> rsa_public_key_der(std::span<const std::uint8_t> modulus,
                                                     std::span<const std::uint8_t> exponent) {
  BignumPtr n(BN_bin2bn(modulus.data(), static_cast<int>(modulus.size()), nullptr));
  BignumPtr e(BN_bin2bn(exponent.data(), static_cast<int>(exponent.size()), nullptr));
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!n || !e || !bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return invalid("OpenSSL cannot build an RSA public key");
  }
  return spki_from_params("RSA", bld.get());
}

Result<std::vector<std::uint8_t>> ecdsa_signature_der(std::span<const std::uint8_t> r_and_s) {
  if (r_and_s.empty() || r_and_s.size() % 2 != 0) {
    return make_error("signature_invalid", "the HSM returned an ECDSA signature of odd length");
  }
  std::size_t half = r_and_s.size() / 2;
  BignumPtr r(BN_bin2bn(r_and_s.data(), static_cast<int>(half), nullptr));
  BignumPtr s(BN_bin2bn(r_and_s.data() + half, static_cast<int>(half), nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return make_error("signature_invalid", "OpenSSL cannot build an ECDSA signature");
  }
  // ECDSA_SIG owns r and s from here.
  (void)r.release();
  (void)s.release();
  int size = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (size <= 0) {
    return make_error("signature_invalid", "cannot encode the ECDSA signature");
  }
  std::vector<std::uint8_t> der(static_cast<std::size_t>(size));
  unsigned char* out = der.data();
  i2d_ECDSA_SIG(sig.get(), &out);
  return der;
}

}  // namespace seald::hsm
