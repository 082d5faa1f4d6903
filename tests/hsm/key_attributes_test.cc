// A private key made by seald stays in the HSM: the token says it is
// sensitive and never extractable, refuses to hand out its secret parts, and
// an independent tool (pkcs11-tool) sees the same.

#include <string>

#include <gtest/gtest.h>

#include "hsm/keys.h"
#include "hsm/objects.h"
#include "tests/hsm/test_util.h"
#include "tests/support/child_process.h"

namespace seald::hsm {
namespace {

bool bool_attribute(const Token& token, const std::string& key_id, CK_ATTRIBUTE_TYPE type) {
  return token
      .with_session([&](SessionContext& context) -> Result<bool> {
        auto key = find_key(context, CKO_PRIVATE_KEY, key_id);
        if (!key) {
          return key.error();
        }
        auto value = get_attribute(context, *key, type);
        if (!value) {
          return value.error();
        }
        return value->size() == 1 && (*value)[0] == CK_TRUE;
      })
      .value();
}

Error secret_attribute_error(const Token& token, const std::string& key_id,
                             CK_ATTRIBUTE_TYPE type) {
  auto read = token.with_session([&](SessionContext& context) -> Result<std::vector<uint8_t>> {
    auto key = find_key(context, CKO_PRIVATE_KEY, key_id);
    if (!key) {
      return key.error();
    }
    return get_attribute(context, *key, type);
  });
  EXPECT_FALSE(read) << "the token handed out a secret attribute";
  return read ? Error{} : read.error();
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

TEST(KeyAttributes, PrivateKeyIsSensitiveAndNotExtractable) {
  auto token = test::open_test_token();
  for (auto algorithm : {KeyAlgorithm::ec_p256, KeyAlgorithm::rsa_2048}) {
    SCOPED_TRACE(std::string(name(algorithm)));
    std::string key_id = test::fresh_key_id("attr");
    test::make_key(*token, algorithm, key_id);

    EXPECT_TRUE(bool_attribute(*token, key_id, CKA_TOKEN));
    EXPECT_TRUE(bool_attribute(*token, key_id, CKA_PRIVATE));
    EXPECT_TRUE(bool_attribute(*token, key_id, CKA_SENSITIVE));
    EXPECT_TRUE(bool_attribute(*token, key_id, CKA_ALWAYS_SENSITIVE));
    EXPECT_FALSE(bool_attribute(*token, key_id, CKA_EXTRACTABLE));
    EXPECT_TRUE(bool_attribute(*token, key_id, CKA_NEVER_EXTRACTABLE));
    EXPECT_TRUE(bool_attribute(*token, key_id, CKA_SIGN));
    EXPECT_FALSE(bool_attribute(*token, key_id, CKA_DECRYPT));
    EXPECT_FALSE(bool_attribute(*token, key_id, CKA_UNWRAP));
  }
}

TEST(KeyAttributes, SecretPartsCannotBeRead) {
  auto token = test::open_test_token();
  std::string ec_id = test::fresh_key_id("secret-ec");
  std::string rsa_id = test::fresh_key_id("secret-rsa");
  test::make_key(*token, KeyAlgorithm::ec_p256, ec_id);
  test::make_key(*token, KeyAlgorithm::rsa_2048, rsa_id);

  EXPECT_EQ(secret_attribute_error(*token, ec_id, CKA_VALUE).code, "hsm_attribute_sensitive");
  EXPECT_EQ(secret_attribute_error(*token, rsa_id, CKA_PRIVATE_EXPONENT).code,
            "hsm_attribute_sensitive");
  EXPECT_EQ(secret_attribute_error(*token, rsa_id, CKA_PRIME_1).code, "hsm_attribute_sensitive");
}

TEST(KeyAttributes, Pkcs11ToolSeesASensitiveSigningOnlyKey) {
  auto token = test::open_test_token();
  std::string key_id = test::fresh_key_id("tool");
  test::make_key(*token, KeyAlgorithm::ec_p256, key_id);
  const auto& hsm = test::softhsm();

  // The PIN goes through the environment, not the command line.
  auto env = hsm.env();
  env["SEALD_TEST_PIN"] = std::string(hsm.user_pin().reveal());
  std::string output;
  int status = testing::run_command(
      {"pkcs11-tool", "--module", hsm.module_path(), "--token-label", hsm.label(), "--login",
       "--pin", "env:SEALD_TEST_PIN", "--list-objects", "--type", "privkey", "--id", hex(key_id)},
      &output, env);
  ASSERT_EQ(status, 0) << output;
  EXPECT_NE(output.find("Private Key Object; EC"), std::string::npos) << output;
  EXPECT_NE(output.find("label:      test " + key_id), std::string::npos) << output;
  EXPECT_NE(output.find("sensitive, always sensitive, never extractable"), std::string::npos)
      << output;
  EXPECT_EQ(output.find("decrypt"), std::string::npos) << output;
  EXPECT_EQ(output.find(std::string(hsm.user_pin().reveal())), std::string::npos);
}

}  // namespace
}  // namespace seald::hsm
