// Signatures made through hsm/ verify with the openssl command line against
// the exported public key, for every algorithm seald offers; a hash that
// was tampered with does not.

#include <map>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "hsm/keys.h"
#include "hsm/signer.h"
#include "tests/hsm/test_util.h"

namespace seald::hsm {
namespace {

struct Case {
  KeyAlgorithm key;
  SignScheme scheme;
  HashAlgorithm hash;
};

void PrintTo(const Case& c, std::ostream* out) {
  *out << name(c.key) << " " << name(c.scheme) << " " << name(c.hash);
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string n = std::string(name(info.param.key)) + "_" + std::string(name(info.param.scheme)) +
                  "_" + std::string(name(info.param.hash));
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      c = '_';
    }
  }
  return n;
}

class SignVerifyTest : public ::testing::TestWithParam<Case> {
 protected:
  // One key per algorithm per process: RSA-3072 generation is slow.
  static std::vector<std::uint8_t> key_for(const Token& token, KeyAlgorithm algorithm,
                                           std::string* key_id) {
    static std::map<KeyAlgorithm, std::pair<std::string, std::vector<std::uint8_t>>> keys;
    auto it = keys.find(algorithm);
    if (it == keys.end()) {
      std::string id = test::fresh_key_id("sv-" + std::string(name(algorithm)));
      it = keys.emplace(algorithm, std::pair(id, test::make_key(token, algorithm, id))).first;
    }
    *key_id = it->second.first;
    return it->second.second;
  }
};

TEST_P(SignVerifyTest, OpensslCliVerifiesAndRejectsTamperedHash) {
  const Case c = GetParam();
  auto token = test::open_test_token();
  std::string key_id;
  auto public_key = key_for(*token, c.key, &key_id);
  auto hash = test::digest(c.hash, "an e-seal over a government document");

  auto signature = sign_hash(*token, key_id, c.scheme, c.hash, hash);
  ASSERT_TRUE(signature) << signature.error().code << ": " << signature.error().message;

  std::string output;
  EXPECT_EQ(test::openssl_cli_verify(public_key, c.scheme, c.hash, hash, *signature, &output), 0)
      << output;
  EXPECT_NE(output.find("Signature Verified Successfully"), std::string::npos) << output;

  auto tampered = hash;
  tampered[0] ^= 0x01;
  EXPECT_NE(test::openssl_cli_verify(public_key, c.scheme, c.hash, tampered, *signature, &output),
            0)
      << output;
}

INSTANTIATE_TEST_SUITE_P(
    AllAlgorithms, SignVerifyTest,
    ::testing::Values(
        Case{KeyAlgorithm::ec_p256, SignScheme::ecdsa, HashAlgorithm::sha256},
        Case{KeyAlgorithm::ec_p384, SignScheme::ecdsa, HashAlgorithm::sha384},
        Case{KeyAlgorithm::rsa_2048, SignScheme::rsa_pkcs1_v15, HashAlgorithm::sha256},
        Case{KeyAlgorithm::rsa_2048, SignScheme::rsa_pkcs1_v15, HashAlgorithm::sha384},
        Case{KeyAlgorithm::rsa_2048, SignScheme::rsa_pkcs1_v15, HashAlgorithm::sha512},
        Case{KeyAlgorithm::rsa_2048, SignScheme::rsa_pss, HashAlgorithm::sha256},
        Case{KeyAlgorithm::rsa_2048, SignScheme::rsa_pss, HashAlgorithm::sha512},
        Case{KeyAlgorithm::rsa_3072, SignScheme::rsa_pkcs1_v15, HashAlgorithm::sha256},
        Case{KeyAlgorithm::rsa_3072, SignScheme::rsa_pss, HashAlgorithm::sha384}),
    case_name);

TEST(SignHash, HashOfTheWrongLengthIsRefused) {
  auto token = test::open_test_token();
  std::string key_id = test::fresh_key_id("len");
  test::make_key(*token, KeyAlgorithm::ec_p256, key_id);
  auto sha384 = test::digest(HashAlgorithm::sha384, "x");

  auto signature = sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, sha384);
  ASSERT_FALSE(signature);
  EXPECT_EQ(signature.error().code, "hash_length_mismatch");
  EXPECT_NE(signature.error().message.find("32"), std::string::npos) << signature.error().message;
}

TEST(SignHash, SchemeThatDoesNotFitTheKeyIsRefused) {
  auto token = test::open_test_token();
  std::string key_id = test::fresh_key_id("mismatch");
  test::make_key(*token, KeyAlgorithm::ec_p256, key_id);
  auto hash = test::digest(HashAlgorithm::sha256, "x");

  auto signature = sign_hash(*token, key_id, SignScheme::rsa_pss, HashAlgorithm::sha256, hash);
  ASSERT_FALSE(signature);
  EXPECT_EQ(signature.error().code, "key_type_mismatch");

  auto signer =
      Pkcs11Signer::create(token, key_id, SignScheme::rsa_pkcs1_v15, HashAlgorithm::sha256);
  ASSERT_FALSE(signer);
  EXPECT_EQ(signer.error().code, "key_type_mismatch");
}

TEST(Pkcs11Signer, SignsThroughTheSignerInterface) {
  auto token = test::open_test_token();
  std::string key_id = test::fresh_key_id("signer");
  auto public_key = test::make_key(*token, KeyAlgorithm::ec_p384, key_id);
  auto created = Pkcs11Signer::create(token, key_id, SignScheme::ecdsa, HashAlgorithm::sha384);
  ASSERT_TRUE(created) << created.error().message;
  const Signer& signer = **created;

  auto hash = test::digest(HashAlgorithm::sha384, "through the interface");
  auto signature = signer.sign(hash);
  ASSERT_TRUE(signature) << signature.error().message;
  EXPECT_TRUE(
      test::evp_verify(public_key, SignScheme::ecdsa, HashAlgorithm::sha384, hash, *signature));
}

TEST(Pkcs11Signer, UnknownKeyIsRefusedAtCreation) {
  auto token = test::open_test_token();
  auto signer =
      Pkcs11Signer::create(token, "no-such-key", SignScheme::ecdsa, HashAlgorithm::sha256);
  ASSERT_FALSE(signer);
  EXPECT_EQ(signer.error().code, "key_not_found");
  EXPECT_NE(signer.error().message.find("no-such-key"), std::string::npos);
}

}  // namespace
}  // namespace seald::hsm
