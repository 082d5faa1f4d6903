// What happens around the changes: expiry (honest reads before maintenance,
// then recorded with a notice), the cleanup marker when a follow-up step
// fails, and the operator's path through an approved application.

#include "seals/seal_store.h"
#include "tests/seals/lifecycle_fixture.h"

namespace seald::seals::test {
namespace {

TEST_F(SealLifecycleTest, ASealPastItsValidityReadsExpiredAndMaintenanceRecordsIt) {
  Seal seal = made_seal("过期的章", "cloud");
  Seal other = made_seal("未过期的章", "cloud");
  auto past = std::chrono::system_clock::now() - std::chrono::hours(1);
  std::string past_ms = std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(past.time_since_epoch()).count());
  redis_.cli({"HSET", seal_key(seal.code), "not_after_ms", past_ms});

  // Honest before maintenance ran: every read path says expired.
  EXPECT_EQ(seals_->get(seal.code)->status, SealStatus::expired);
  EXPECT_EQ(seals_->store().get(seal.code)->status, SealStatus::active);
  auto mine = seals_->list_by_applicant(applicant_, 0, 10);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->items.size(), 2u);
  for (const auto& item : mine->items) {
    EXPECT_EQ(item.status, item.code == seal.code ? SealStatus::expired : SealStatus::active);
  }
  auto subtree = seals_->list_in_subtree(city_.id, 0, 10);
  ASSERT_TRUE(subtree);
  for (const auto& item : subtree->items) {
    EXPECT_EQ(item.status, item.code == seal.code ? SealStatus::expired : SealStatus::active);
  }
  auto lost = lifecycle_.apply(seal.code, request(LifecycleAction::report_loss));
  ASSERT_FALSE(lost);
  EXPECT_NE(lost.error().message.find("expired"), std::string::npos);
  auto reissue = lifecycle_.apply(seal.code, request(LifecycleAction::reissue));
  ASSERT_FALSE(reissue);
  EXPECT_EQ(reissue.error().code, "seal_status_conflict");
  EXPECT_TRUE(key_on_token(seal.code));

  Subscriber subscriber(redis_.port());
  auto expired = lifecycle_.maintain(std::chrono::system_clock::now());
  ASSERT_TRUE(expired) << expired.error().code;
  EXPECT_EQ(*expired, 1u);
  EXPECT_EQ(subscriber.next(), notice(seal, "expired", 2));
  EXPECT_EQ(seals_->store().get(seal.code)->status, SealStatus::expired);
  EXPECT_EQ(seals_->store().get(other.code)->status, SealStatus::active);
  EXPECT_EQ(*lifecycle_.maintain(std::chrono::system_clock::now()), 0u);
  EXPECT_TRUE(subscriber.quiet());

  // An expired seal can still be revoked, for good.
  auto revoked = lifecycle_.apply(seal.code, request(LifecycleAction::revoke));
  ASSERT_TRUE(revoked) << revoked.error().code;
  EXPECT_EQ(revoked->status, SealStatus::revoked);
  EXPECT_FALSE(key_on_token(seal.code));
}

TEST_F(SealLifecycleTest, AFailedFollowUpStepStaysMarkedUntilItIsDone) {
  Seal seal = made_seal("清理失败的章", "cloud");
  grants_.fail = true;
  auto revoked = lifecycle_.apply(seal.code, request(LifecycleAction::revoke));
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().code, "seal_cleanup_pending");
  EXPECT_NE(revoked.error().message.find("the change stands"), std::string::npos);

  // The revocation stands; the other steps were done anyway.
  auto stored = seals_->store().get(seal.code);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, SealStatus::revoked);
  EXPECT_EQ(stored->cleanup.size(), 1u);
  EXPECT_TRUE(stored->cleanup.contains("remove_grants"));
  EXPECT_FALSE(key_on_token(seal.code));
  EXPECT_NE(verify_with_crl(seal.certificate->der, "revoked").status, 0);
  EXPECT_EQ(redis_.cli({"SISMEMBER", "seald:seals:cleanup", seal.code}), "1");

  auto still = lifecycle_.finish_pending(seal.code);
  ASSERT_FALSE(still);
  EXPECT_EQ(still.error().code, "seal_cleanup_pending");
  EXPECT_EQ(grants_.calls.size(), 2u);

  grants_.fail = false;
  auto swept = lifecycle_.maintain(std::chrono::system_clock::now());
  ASSERT_TRUE(swept);
  EXPECT_EQ(grants_.calls, std::vector<std::string>(3, seal.code));
  EXPECT_TRUE(seals_->store().get(seal.code)->cleanup.empty());
  EXPECT_EQ(redis_.cli({"SISMEMBER", "seald:seals:cleanup", seal.code}), "0");
  EXPECT_EQ(seals_->store().get(seal.code)->status, SealStatus::revoked);

  // Nothing left: finishing again does no work.
  EXPECT_TRUE(lifecycle_.finish_pending(seal.code));
  EXPECT_EQ(grants_.calls.size(), 3u);
}

TEST_F(SealLifecycleTest, AnOperatorCarriesOutAnApprovedRevokeApplication) {
  Seal seal = made_seal("申请吊销的章", "cloud");
  auto app = approved_change("revoke", seal);
  ASSERT_EQ(app.state, workflow::State::pending_make);

  std::string before = record(seal);
  auto stale = lifecycle_.carry_out(app.id, app.version - 1, "user-operator", "");
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, "application_version_conflict");
  EXPECT_EQ(record(seal), before);

  auto revoked = lifecycle_.carry_out(app.id, app.version, "user-operator", "已吊销");
  ASSERT_TRUE(revoked) << revoked.error().code << ": " << revoked.error().message;
  EXPECT_EQ(revoked->status, SealStatus::revoked);
  EXPECT_EQ(revoked->change_application_id, app.id);
  EXPECT_EQ(revoked->change_reason, "印章损坏");
  EXPECT_FALSE(key_on_token(seal.code));
  auto done = workflow_->get(app.id);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->state, workflow::State::completed);

  auto twice = lifecycle_.carry_out(app.id, done->version, "user-operator", "");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "application_not_executable");

  auto made = pending_make("还没制作的章", "cloud");
  std::string untouched = snapshot(made.id);
  auto wrong_kind = lifecycle_.carry_out(made.id, made.version, "user-operator", "");
  ASSERT_FALSE(wrong_kind);
  EXPECT_EQ(wrong_kind.error().code, "application_not_executable");
  EXPECT_EQ(snapshot(made.id), untouched);

  auto missing = lifecycle_.carry_out("no-such-application", 1, "user-operator", "");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "application_not_found");
}

TEST_F(SealLifecycleTest, AnApprovedReissueApplicationMakesTheNewKeyWithTheChosenAlgorithm) {
  Seal seal = made_seal("申请补发的章", "cloud");
  auto app = approved_change("reissue", seal, "密钥可能泄露");
  auto reissued = lifecycle_.carry_out(app.id, app.version, "user-operator", "补发完成",
                                       hsm::KeyAlgorithm::rsa_2048);
  ASSERT_TRUE(reissued) << reissued.error().code << ": " << reissued.error().message;
  EXPECT_EQ(reissued->key_id, seal.code + ".1");
  EXPECT_EQ(reissued->key_algorithm, "rsa-2048");
  EXPECT_EQ(workflow_->get(app.id)->state, workflow::State::completed);
  EXPECT_TRUE(key_on_token(seal.code + ".1"));
}

}  // namespace
}  // namespace seald::seals::test
