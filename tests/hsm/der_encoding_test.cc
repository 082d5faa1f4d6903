// Public keys export the same whether the module wraps CKA_EC_POINT in an
// OCTET STRING (as PKCS#11 says) or hands the point over bare, and ECDSA
// signatures come out in the DER form verifiers take.

#include <gtest/gtest.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "hsm/algorithms.h"
#include "hsm/der_encoding.h"

namespace seald::hsm {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};

std::vector<std::uint8_t> spki(EVP_PKEY* key) {
  std::vector<std::uint8_t> der(static_cast<std::size_t>(i2d_PUBKEY(key, nullptr)));
  unsigned char* out = der.data();
  i2d_PUBKEY(key, &out);
  return der;
}

TEST(DerEncoding, EcPointWrappedOrBareGivesTheSameKey) {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_EC_gen("P-384"));
  ASSERT_TRUE(key);
  std::vector<std::uint8_t> point(200);
  std::size_t size = 0;
  ASSERT_EQ(EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                            point.size(), &size),
            1);
  point.resize(size);
  ASSERT_EQ(point.size(), 97u);
  std::vector<std::uint8_t> wrapped = {0x04, static_cast<std::uint8_t>(point.size())};
  wrapped.insert(wrapped.end(), point.begin(), point.end());

  auto params = ec_params(KeyAlgorithm::ec_p384);
  auto from_wrapped = ec_public_key_der(params, wrapped);
  auto from_bare = ec_public_key_der(params, point);
  ASSERT_TRUE(from_wrapped) << from_wrapped.error().message;
  ASSERT_TRUE(from_bare) << from_bare.error().message;
  EXPECT_EQ(*from_wrapped, spki(key.get()));
  EXPECT_EQ(*from_bare, spki(key.get()));
}

TEST(DerEncoding, GarbageIsAPublicKeyError) {
  std::vector<std::uint8_t> junk = {0x30, 0x01, 0x02};
  auto params = ec_params(KeyAlgorithm::ec_p256);
  auto result = ec_public_key_der(params, junk);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, "public_key_invalid");
  auto bad_curve = ec_public_key_der(junk, junk);
  ASSERT_FALSE(bad_curve);
  EXPECT_EQ(bad_curve.error().code, "public_key_invalid");
}

TEST(DerEncoding, EcdsaRawSignatureBecomesDerSequence) {
  std::vector<std::uint8_t> r_and_s(64, 0x11);
  r_and_s[32] = 0x80;  // s has its top bit set: DER must add a zero byte
  auto der = ecdsa_signature_der(r_and_s);
  ASSERT_TRUE(der);
  ASSERT_GE(der->size(), 8u);
  EXPECT_EQ((*der)[0], 0x30);
  EXPECT_EQ((*der)[2], 0x02);
  EXPECT_EQ((*der)[3], 32);           // r: 32 bytes, top bit clear
  EXPECT_EQ((*der)[4 + 32 + 1], 33);  // s: 33 bytes with the leading zero
  EXPECT_FALSE(ecdsa_signature_der(std::vector<std::uint8_t>(63, 1)));
}

}  // namespace
}  // namespace seald::hsm
