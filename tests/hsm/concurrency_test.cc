// Many threads signing with many keys at once all get valid signatures, and
// a key destroyed while other threads hold its handle is gone for all of them.

#include <barrier>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "hsm/keys.h"
#include "hsm/signer.h"
#include "tests/hsm/test_util.h"

namespace seald::hsm {
namespace {

struct TestKey {
  std::string id;
  SignScheme scheme;
  HashAlgorithm hash;
  std::vector<std::uint8_t> public_key;
};

TEST(Concurrency, ThreadsSigningWithSeveralKeysAllVerify) {
  auto token = test::open_test_token();
  std::vector<TestKey> keys;
  for (auto [algorithm, scheme, hash] :
       {std::tuple{KeyAlgorithm::ec_p256, SignScheme::ecdsa, HashAlgorithm::sha256},
        std::tuple{KeyAlgorithm::ec_p256, SignScheme::ecdsa, HashAlgorithm::sha256},
        std::tuple{KeyAlgorithm::ec_p384, SignScheme::ecdsa, HashAlgorithm::sha384},
        std::tuple{KeyAlgorithm::rsa_2048, SignScheme::rsa_pss, HashAlgorithm::sha256}}) {
    std::string id = test::fresh_key_id("conc");
    keys.push_back(TestKey{id, scheme, hash, test::make_key(*token, algorithm, id)});
  }

  constexpr int kThreads = 6;
  constexpr int kSignaturesPerThread = 60;
  std::atomic<int> verified{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kSignaturesPerThread; ++i) {
        const TestKey& key = keys[(t + i) % keys.size()];
        auto hash = test::digest(key.hash, "doc " + std::to_string(t) + "/" + std::to_string(i));
        auto signature = sign_hash(*token, key.id, key.scheme, key.hash, hash);
        if (signature && test::evp_verify(key.public_key, key.scheme, key.hash, hash, *signature)) {
          verified.fetch_add(1);
        } else {
          failed.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(verified.load(), kThreads * kSignaturesPerThread);
  // One session per thread that signed (plus the opener's), not one per signature.
  EXPECT_LE(token->stats().sessions_opened, static_cast<std::uint64_t>(kThreads + 1));
}

TEST(Concurrency, DestroyedKeyIsGoneForThreadsThatCachedItsHandle) {
  auto token = test::open_test_token();
  std::string key_id = test::fresh_key_id("cached");
  test::make_key(*token, KeyAlgorithm::ec_p256, key_id);
  auto hash = test::digest(HashAlgorithm::sha256, "x");

  constexpr int kThreads = 3;
  std::barrier sync(kThreads + 1);
  std::atomic<int> signed_before{0};
  std::atomic<int> refused_after{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      if (sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, hash)) {
        signed_before.fetch_add(1);
      }
      sync.arrive_and_wait();  // every thread now caches the handle
      sync.arrive_and_wait();  // the key is destroyed
      auto after = sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, hash);
      if (!after && after.error().code == "key_not_found") {
        refused_after.fetch_add(1);
      }
    });
  }
  sync.arrive_and_wait();
  ASSERT_TRUE(destroy_key_pair(*token, key_id));
  sync.arrive_and_wait();
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(signed_before.load(), kThreads);
  EXPECT_EQ(refused_after.load(), kThreads);
}

TEST(Concurrency, KeyMadeAgainUnderTheSameIdSignsWithTheNewKey) {
  auto token = test::open_test_token();
  std::string key_id = test::fresh_key_id("remade");
  test::make_key(*token, KeyAlgorithm::ec_p256, key_id);
  auto hash = test::digest(HashAlgorithm::sha256, "x");

  std::barrier sync(2);
  bool verified_with_new_key = false;
  std::vector<std::uint8_t> new_public_key;
  std::thread worker([&] {
    EXPECT_TRUE(sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, hash));
    sync.arrive_and_wait();
    sync.arrive_and_wait();
    auto signature = sign_hash(*token, key_id, SignScheme::ecdsa, HashAlgorithm::sha256, hash);
    verified_with_new_key = signature && test::evp_verify(new_public_key, SignScheme::ecdsa,
                                                          HashAlgorithm::sha256, hash, *signature);
  });
  sync.arrive_and_wait();
  ASSERT_TRUE(destroy_key_pair(*token, key_id));
  new_public_key = test::make_key(*token, KeyAlgorithm::ec_p256, key_id);
  sync.arrive_and_wait();
  worker.join();
  EXPECT_TRUE(verified_with_new_key);
}

}  // namespace
}  // namespace seald::hsm
