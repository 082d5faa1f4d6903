// The layer heals itself when the module drops its sessions (and with them
// the login), asks for the PIN only when it must log in again, and reports a
// wrong PIN by name without ever showing it.

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "hsm/keys.h"
#include "hsm/signer.h"
#include "tests/hsm/test_util.h"

namespace seald::hsm {
namespace {

// Closes every session of this process on the token, beneath the layer; the
// login goes with them.
void close_all_sessions(const Token& token) {
  ASSERT_EQ(token.module()->functions()->C_CloseAllSessions(token.slot_id()),
            static_cast<CK_RV>(CKR_OK));
}

PinSource counting_pin_source(std::atomic<int>* calls) {
  return [calls, path = test::softhsm().pin_file()] {
    calls->fetch_add(1);
    return Secret::from_file(path);
  };
}

TEST(SessionRecovery, SignSucceedsAfterAllSessionsWereClosed) {
  auto token = test::open_test_token();
  std::string key_id = test::fresh_key_id("heal");
  auto public_key = test::make_key(*token, KeyAlgorithm::ec_p256, key_id);
  auto hash = test::digest(HashAlgorithm::sha256, "before and after");
  ASSERT_TRUE(sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, hash));

  close_all_sessions(*token);

  auto signature = sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, hash);
  ASSERT_TRUE(signature) << signature.error().code << ": " << signature.error().message;
  EXPECT_TRUE(
      test::evp_verify(public_key, SignScheme::ecdsa, HashAlgorithm::sha256, hash, *signature));
  EXPECT_GE(token->stats().sessions_renewed, 1u);
}

TEST(SessionRecovery, EveryThreadRecoversAfterAllSessionsWereClosed) {
  auto token = test::open_test_token();
  std::string key_id = test::fresh_key_id("heal-threads");
  auto public_key = test::make_key(*token, KeyAlgorithm::ec_p256, key_id);
  auto hash = test::digest(HashAlgorithm::sha256, "x");

  constexpr int kThreads = 4;
  std::atomic<int> phase{0};
  std::atomic<int> ready{0};
  std::atomic<int> ok_after{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      (void)sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, hash);
      ready.fetch_add(1);
      while (phase.load() == 0) {
        std::this_thread::yield();
      }
      auto signature = sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, hash);
      if (signature && test::evp_verify(public_key, SignScheme::ecdsa, HashAlgorithm::sha256, hash,
                                        *signature)) {
        ok_after.fetch_add(1);
      }
    });
  }
  while (ready.load() < kThreads) {
    std::this_thread::yield();
  }
  close_all_sessions(*token);
  phase.store(1);
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(ok_after.load(), kThreads);
}

TEST(SessionRecovery, PinIsAskedForOnlyWhenTheLoginWasLost) {
  const auto& hsm = test::softhsm();
  // Start logged out, whatever earlier tests in this process did.
  ASSERT_EQ(hsm.module()->functions()->C_CloseAllSessions(
                hsm::find_token(*hsm.module(), TokenSelector::by_label(hsm.label())).value()),
            static_cast<CK_RV>(CKR_OK));
  std::atomic<int> calls{0};
  auto token =
      Token::open(hsm.module(), TokenSelector::by_label(hsm.label()), counting_pin_source(&calls))
          .value();
  EXPECT_EQ(calls.load(), 1);

  std::string key_id = test::fresh_key_id("pin-calls");
  test::make_key(*token, KeyAlgorithm::ec_p256, key_id);
  auto hash = test::digest(HashAlgorithm::sha256, "x");
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, hash));
  }
  EXPECT_EQ(calls.load(), 1) << "the PIN was asked for although the login was intact";

  close_all_sessions(*token);
  ASSERT_TRUE(sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, hash));
  EXPECT_EQ(calls.load(), 2);
}

TEST(SessionRecovery, ReadinessCheckPassesAndRecovers) {
  auto token = test::open_test_token();
  EXPECT_TRUE(token->check());
  close_all_sessions(*token);
  auto status = token->check();
  EXPECT_TRUE(status) << status.error().code;
}

TEST(SessionRecovery, PinSourceFailingAtReLoginIsReported) {
  const auto& hsm = test::softhsm();
  std::atomic<bool> pin_available{true};
  auto token =
      Token::open(hsm.module(), TokenSelector::by_label(hsm.label()), [&]() -> Result<Secret> {
        if (!pin_available.load()) {
          return make_error("secret_file_missing", "cannot read pin file");
        }
        return Secret::from_file(hsm.pin_file());
      }).value();
  std::string key_id = test::fresh_key_id("pin-gone");
  test::make_key(*token, KeyAlgorithm::ec_p256, key_id);
  auto hash = test::digest(HashAlgorithm::sha256, "x");

  pin_available.store(false);
  close_all_sessions(*token);
  auto signature = sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, hash);
  ASSERT_FALSE(signature);
  EXPECT_EQ(signature.error().code, "secret_file_missing");

  pin_available.store(true);
  EXPECT_TRUE(sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, hash));
}

TEST(Login, WrongPinIsReportedByNameAndNeverShown) {
  const auto& hsm = test::softhsm();
  CK_SLOT_ID slot = hsm::find_token(*hsm.module(), TokenSelector::by_label(hsm.label())).value();
  // A process already logged in is not asked for a PIN at all (PKCS#11
  // shares the login), so log out first.
  ASSERT_EQ(hsm.module()->functions()->C_CloseAllSessions(slot), static_cast<CK_RV>(CKR_OK));

  const std::string wrong_pin = "wrong-pin-7d1c2e";
  auto token = Token::open(hsm.module(), TokenSelector::by_label(hsm.label()),
                           [&] { return Result<Secret>(Secret(wrong_pin)); });
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, "hsm_pin_incorrect");
  EXPECT_NE(token.error().message.find("CKR_PIN_INCORRECT"), std::string::npos)
      << token.error().message;
  EXPECT_NE(token.error().message.find("C_Login"), std::string::npos) << token.error().message;
  EXPECT_EQ(token.error().message.find(wrong_pin), std::string::npos);
  EXPECT_EQ(token.error().message.find(std::string(hsm.user_pin().reveal())), std::string::npos);

  // The right PIN still works afterwards.
  EXPECT_TRUE(hsm.open_token());
}

TEST(Login, UnreadablePinFileIsReported) {
  const auto& hsm = test::softhsm();
  CK_SLOT_ID slot = hsm::find_token(*hsm.module(), TokenSelector::by_label(hsm.label())).value();
  ASSERT_EQ(hsm.module()->functions()->C_CloseAllSessions(slot), static_cast<CK_RV>(CKR_OK));
  auto token = Token::open(hsm.module(), TokenSelector::by_label(hsm.label()),
                           [] { return Secret::from_file("/nonexistent/seald.pin"); });
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, "secret_file_missing");
}

}  // namespace
}  // namespace seald::hsm
