// Keys are listed as made, refuse duplicates, and once destroyed are gone:
// not found on the token, not listed, not usable for signing.

#include <algorithm>

#include <gtest/gtest.h>

#include "hsm/init_token.h"
#include "hsm/keys.h"
#include "hsm/objects.h"
#include "hsm/signer.h"
#include "tests/hsm/test_util.h"

namespace seald::hsm {
namespace {

const KeyInfo* find_listed(const std::vector<KeyInfo>& keys, const std::string& id) {
  auto it = std::find_if(keys.begin(), keys.end(), [&](const KeyInfo& k) { return k.id == id; });
  return it == keys.end() ? nullptr : &*it;
}

// Objects with this CKA_ID, counted on a fresh session straight through the
// function list, so no cache of the layer can hide them.
CK_ULONG objects_with_id(const Token& token, const std::string& key_id) {
  CK_FUNCTION_LIST* f = token.module()->functions();
  CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
  EXPECT_EQ(f->C_OpenSession(token.slot_id(), CKF_SERIAL_SESSION, nullptr, nullptr, &session),
            static_cast<CK_RV>(CKR_OK));
  CK_ATTRIBUTE match[] = {attribute(CKA_ID, key_id)};
  CK_OBJECT_HANDLE found[8];
  CK_ULONG count = 0;
  EXPECT_EQ(f->C_FindObjectsInit(session, match, 1), static_cast<CK_RV>(CKR_OK));
  EXPECT_EQ(f->C_FindObjects(session, found, 8, &count), static_cast<CK_RV>(CKR_OK));
  f->C_FindObjectsFinal(session);
  f->C_CloseSession(session);
  return count;
}

TEST(KeyLifecycle, ListShowsWhatWasMade) {
  auto token = test::open_test_token();
  std::string ec_id = test::fresh_key_id("list-ec");
  std::string rsa_id = test::fresh_key_id("list-rsa");
  ASSERT_TRUE(generate_key_pair(*token, KeyAlgorithm::ec_p384, ec_id, "seal of the bureau"));
  ASSERT_TRUE(generate_key_pair(*token, KeyAlgorithm::rsa_2048, rsa_id, "finance seal"));

  auto keys = list_keys(*token);
  ASSERT_TRUE(keys) << keys.error().message;
  const KeyInfo* ec = find_listed(*keys, ec_id);
  const KeyInfo* rsa = find_listed(*keys, rsa_id);
  ASSERT_NE(ec, nullptr);
  ASSERT_NE(rsa, nullptr);
  EXPECT_EQ(ec->label, "seal of the bureau");
  EXPECT_EQ(ec->algorithm, KeyAlgorithm::ec_p384);
  EXPECT_EQ(ec->algorithm_name, "ec-p384");
  EXPECT_EQ(rsa->label, "finance seal");
  EXPECT_EQ(rsa->algorithm, KeyAlgorithm::rsa_2048);
  EXPECT_EQ(objects_with_id(*token, ec_id), 2u) << "a public and a private object";
}

TEST(KeyLifecycle, DuplicateIdIsRefused) {
  auto token = test::open_test_token();
  std::string key_id = test::fresh_key_id("dup");
  ASSERT_TRUE(generate_key_pair(*token, KeyAlgorithm::ec_p256, key_id, "first"));
  auto again = generate_key_pair(*token, KeyAlgorithm::ec_p256, key_id, "second");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "key_exists");
  EXPECT_EQ(objects_with_id(*token, key_id), 2u);
}

TEST(KeyLifecycle, DestroyedKeyIsGone) {
  auto token = test::open_test_token();
  std::string key_id = test::fresh_key_id("gone");
  test::make_key(*token, KeyAlgorithm::ec_p256, key_id);
  auto hash = test::digest(HashAlgorithm::sha256, "x");
  ASSERT_TRUE(sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, hash));

  ASSERT_TRUE(destroy_key_pair(*token, key_id));

  EXPECT_EQ(objects_with_id(*token, key_id), 0u);
  auto keys = list_keys(*token);
  ASSERT_TRUE(keys);
  EXPECT_EQ(find_listed(*keys, key_id), nullptr);
  auto signature = sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, hash);
  ASSERT_FALSE(signature);
  EXPECT_EQ(signature.error().code, "key_not_found");
  EXPECT_NE(signature.error().message.find(key_id), std::string::npos);
  auto public_key = public_key_der(*token, key_id);
  ASSERT_FALSE(public_key);
  EXPECT_EQ(public_key.error().code, "key_not_found");
  auto destroy_again = destroy_key_pair(*token, key_id);
  ASSERT_FALSE(destroy_again);
  EXPECT_EQ(destroy_again.error().code, "key_not_found");
}

TEST(InitToken, SecondRunFindsTheTokenAndChangesNothing) {
  const auto& hsm = test::softhsm();
  auto outcome =
      init_token(hsm.module(), hsm.label(), Secret("other-so-pin"), Secret("other-user-pin"));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(*outcome, InitTokenOutcome::already_exists);
  // The original PIN still opens it.
  EXPECT_TRUE(hsm.open_token());
}

TEST(InitToken, LabelTooLongIsRefused) {
  const auto& hsm = test::softhsm();
  auto outcome = init_token(hsm.module(), std::string(33, 'x'), Secret("so"), Secret("user"));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, "hsm_label_invalid");
}

}  // namespace
}  // namespace seald::hsm
