// A seal's changes of state: report loss and restore, revoke (the
// certificate on the CA's CRL as openssl sees it, the key gone from the
// token, the grants dropped), reissue (a new key and certificate, the old
// one superseded), and what ukey seals allow. Every change is heard on
// seald:changes by a plain subscriber; every refusal changes nothing.

#include "hsm/keys.h"
#include "seals/seal_store.h"
#include "tests/seals/lifecycle_fixture.h"

namespace seald::seals::test {
namespace {

TEST_F(SealLifecycleTest, ReportLossSuspendsAndRestoreMakesActiveAgainWithNotices) {
  Seal seal = made_seal("数据局合同专用章", "cloud");
  Subscriber subscriber(redis_.port());

  auto lost = lifecycle_.apply(seal.code, request(LifecycleAction::report_loss, 1));
  ASSERT_TRUE(lost) << lost.error().code << ": " << lost.error().message;
  EXPECT_EQ(lost->status, SealStatus::suspended);
  EXPECT_EQ(lost->version, 2);
  EXPECT_EQ(lost->changed_by, "user-admin");
  EXPECT_EQ(subscriber.next(), notice(seal, "suspended", 2));
  EXPECT_EQ(seals_->get(seal.code)->status, SealStatus::suspended);
  // A lost seal keeps its key: restoring must not need a new one.
  EXPECT_TRUE(key_on_token(seal.code));

  auto restored = lifecycle_.apply(seal.code, request(LifecycleAction::restore, 2));
  ASSERT_TRUE(restored) << restored.error().code;
  EXPECT_EQ(restored->status, SealStatus::active);
  EXPECT_EQ(subscriber.next(), notice(seal, "active", 3));
  EXPECT_EQ(seals_->get(seal.code)->version, 3);
  EXPECT_TRUE(grants_.calls.empty());
}

TEST_F(SealLifecycleTest, ActionsInTheWrongStateOrOnAStaleVersionChangeNothing) {
  Seal seal = made_seal("数据局财务专用章", "cloud");
  std::string before = record(seal);
  Subscriber subscriber(redis_.port());

  auto restore = lifecycle_.apply(seal.code, request(LifecycleAction::restore));
  ASSERT_FALSE(restore);
  EXPECT_EQ(restore.error().code, "seal_status_conflict");
  EXPECT_NE(restore.error().message.find("only a suspended seal can be restored"),
            std::string::npos)
      << restore.error().message;

  auto stale = lifecycle_.apply(seal.code, request(LifecycleAction::report_loss, 7));
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, "seal_version_conflict");
  EXPECT_EQ(record(seal), before);
  EXPECT_TRUE(subscriber.quiet());

  ASSERT_TRUE(lifecycle_.apply(seal.code, request(LifecycleAction::report_loss, 1)));
  before = record(seal);
  auto again = lifecycle_.apply(seal.code, request(LifecycleAction::report_loss));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "seal_status_conflict");
  EXPECT_NE(again.error().message.find("is suspended; only an active seal can be reported lost"),
            std::string::npos)
      << again.error().message;
  auto stale_restore = lifecycle_.apply(seal.code, request(LifecycleAction::restore, 1));
  ASSERT_FALSE(stale_restore);
  EXPECT_EQ(stale_restore.error().code, "seal_version_conflict");
  EXPECT_EQ(record(seal), before);

  auto missing = lifecycle_.apply("1100002026999999", request(LifecycleAction::revoke));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "seal_not_found");
}

TEST_F(SealLifecycleTest, RevokingACloudSealPutsItsCertificateOnTheCrlAndDestroysItsKey) {
  Seal seal = made_seal("数据局业务专用章", "cloud");
  ASSERT_TRUE(seal.certificate);
  auto before = verify_with_crl(seal.certificate->der, "before");
  EXPECT_EQ(before.status, 0) << before.output;
  Subscriber subscriber(redis_.port());

  auto revoked = lifecycle_.apply(seal.code, request(LifecycleAction::revoke, 1));
  ASSERT_TRUE(revoked) << revoked.error().code << ": " << revoked.error().message;
  EXPECT_EQ(revoked->status, SealStatus::revoked);
  EXPECT_TRUE(revoked->cleanup.empty());
  EXPECT_EQ(subscriber.next(), notice(seal, "revoked", 2));

  auto after = verify_with_crl(seal.certificate->der, "after");
  EXPECT_NE(after.status, 0) << after.output;
  EXPECT_NE(after.output.find("certificate revoked"), std::string::npos) << after.output;
  std::string text = crl_text();
  EXPECT_NE(text.find(upper(seal.certificate->serial_hex)), std::string::npos) << text;
  EXPECT_NE(text.find("Cessation Of Operation"), std::string::npos) << text;

  EXPECT_FALSE(key_on_token(seal.code));
  EXPECT_EQ(grants_.calls, std::vector<std::string>{seal.code});
  EXPECT_EQ(redis_.cli({"SISMEMBER", "seald:seals:cleanup", seal.code}), "0");

  // Final: nothing more can be done with it, and nothing is written.
  std::string frozen = record(seal);
  for (auto action : {LifecycleAction::report_loss, LifecycleAction::restore,
                      LifecycleAction::reissue, LifecycleAction::revoke}) {
    SCOPED_TRACE(std::string(to_string(action)));
    auto refused = lifecycle_.apply(seal.code, request(action));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "seal_status_conflict");
    EXPECT_NE(refused.error().message.find("is revoked"), std::string::npos);
  }
  EXPECT_EQ(record(seal), frozen);
  EXPECT_TRUE(subscriber.quiet());
  EXPECT_EQ(grants_.calls.size(), 1u);
}

TEST_F(SealLifecycleTest, ReissueSwitchesToANewKeyAndSupersedesTheOldCertificate) {
  Seal seal = made_seal("数据局发票专用章", "cloud");
  ASSERT_TRUE(lifecycle_.apply(seal.code, request(LifecycleAction::report_loss)));
  Subscriber subscriber(redis_.port());

  auto req = request(LifecycleAction::reissue, 2);
  req.algorithm = hsm::KeyAlgorithm::ec_p384;
  auto reissued = lifecycle_.apply(seal.code, req);
  ASSERT_TRUE(reissued) << reissued.error().code << ": " << reissued.error().message;
  EXPECT_EQ(reissued->code, seal.code);
  EXPECT_EQ(reissued->status, SealStatus::active);
  EXPECT_EQ(reissued->key_id, seal.code + ".1");
  EXPECT_EQ(reissued->key_algorithm, "ec-p384");
  EXPECT_EQ(reissued->not_after_ms, seal.not_after_ms);
  EXPECT_EQ(subscriber.next(), notice(seal, "active", 3));

  EXPECT_TRUE(key_on_token(seal.code + ".1"));
  EXPECT_FALSE(key_on_token(seal.code));
  ASSERT_TRUE(reissued->certificate);
  EXPECT_NE(reissued->certificate->serial_hex, seal.certificate->serial_hex);
  ASSERT_EQ(reissued->previous_certificates.size(), 1u);
  EXPECT_EQ(reissued->previous_certificates[0].der, seal.certificate->der);
  // Stored as returned.
  auto stored = seals_->get(seal.code);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->key_id, seal.code + ".1");
  EXPECT_EQ(stored->certificate->der, reissued->certificate->der);
  EXPECT_EQ(stored->previous_certificates.size(), 1u);

  auto fresh = verify_with_crl(reissued->certificate->der, "new");
  EXPECT_EQ(fresh.status, 0) << fresh.output;
  auto old = verify_with_crl(seal.certificate->der, "old");
  EXPECT_NE(old.status, 0) << old.output;
  EXPECT_NE(old.output.find("certificate revoked"), std::string::npos) << old.output;
  EXPECT_NE(crl_text().find("Superseded"), std::string::npos);
  // The new certificate is for the key now on the token.
  auto key = hsm::public_key_der(*token_, seal.code + ".1");
  ASSERT_TRUE(key);
  std::string cert_file = write("new-cert.pem", certificate_pem(reissued->certificate->der));
  auto pub = run({"openssl", "x509", "-in", cert_file, "-noout", "-pubkey"});
  std::string key_file = write("new-key.der", std::string(key->begin(), key->end()));
  auto token_pub = run({"openssl", "pkey", "-pubin", "-inform", "DER", "-in", key_file});
  EXPECT_EQ(pub.output, token_pub.output);
  EXPECT_TRUE(grants_.calls.empty());

  // A second reissue takes the next number and keeps the history in order.
  auto second = lifecycle_.apply(seal.code, request(LifecycleAction::reissue, 3));
  ASSERT_TRUE(second) << second.error().code;
  EXPECT_EQ(second->key_id, seal.code + ".2");
  EXPECT_EQ(second->key_algorithm, "ec-p384");  // unset keeps the current algorithm
  ASSERT_EQ(second->previous_certificates.size(), 2u);
  EXPECT_EQ(second->previous_certificates[1].der, reissued->certificate->der);
  EXPECT_FALSE(key_on_token(seal.code + ".1"));
}

TEST_F(SealLifecycleTest, UkeySealsChangeStateOnlyAndCannotBeReissued) {
  Seal seal = made_seal("数据局UKey章", "ukey");
  std::string before = record(seal);
  auto reissue = lifecycle_.apply(seal.code, request(LifecycleAction::reissue));
  ASSERT_FALSE(reissue);
  EXPECT_EQ(reissue.error().code, "seal_status_conflict");
  EXPECT_NE(reissue.error().message.find("UKey"), std::string::npos) << reissue.error().message;
  EXPECT_EQ(record(seal), before);

  ASSERT_TRUE(lifecycle_.apply(seal.code, request(LifecycleAction::report_loss)));
  ASSERT_TRUE(lifecycle_.apply(seal.code, request(LifecycleAction::restore)));
  auto revoked = lifecycle_.apply(seal.code, request(LifecycleAction::revoke));
  ASSERT_TRUE(revoked) << revoked.error().code << ": " << revoked.error().message;
  EXPECT_EQ(revoked->status, SealStatus::revoked);
  EXPECT_EQ(revoked->version, 4);
  EXPECT_TRUE(grants_.calls.empty());
}

}  // namespace
}  // namespace seald::seals::test
