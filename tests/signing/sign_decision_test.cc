// The sign decision over hand-built snapshots: every refusal, and which one
// wins when several apply. Snapshots built by hand also reach states the
// stores refuse to write (a granted ukey seal).

#include <gtest/gtest.h>

#include "signing/sign_decision.h"

namespace seald::signing {
namespace {

constexpr std::int64_t kNow = 1'800'000'000'000;
constexpr std::int64_t kDay = 24 * 3600 * 1000;

const std::string kCloudApp = "a1";
const std::string kUkeyApp = "a2";
const std::string kOffApp = "a3";

SealState seal(const std::string& code, seals::SealStatus status, const std::string& usage,
               std::int64_t not_after_ms = kNow + kDay) {
  SealState s;
  s.code = code;
  s.usage = usage;
  s.key_id = usage == "cloud" ? code : "";
  s.status = status;
  s.not_after_ms = not_after_ms;
  s.version = 1;
  return s;
}

Snapshot sample() {
  Snapshot snap;
  snap.apps[kCloudApp] = AppState{
      kCloudApp, "app_1", "Cloud", apps::AppKind::cloud, apps::AppStatus::enabled, std::nullopt};
  snap.apps[kUkeyApp] = AppState{
      kUkeyApp, "app_2", "UKey", apps::AppKind::ukey, apps::AppStatus::enabled, std::nullopt};
  snap.apps[kOffApp] = AppState{
      kOffApp, "app_3", "Off", apps::AppKind::cloud, apps::AppStatus::disabled, std::nullopt};
  using S = seals::SealStatus;
  snap.seals["active"] = seal("active", S::active, "cloud");
  snap.seals["lapsed"] = seal("lapsed", S::active, "cloud", kNow - 1);
  snap.seals["suspended"] = seal("suspended", S::suspended, "cloud");
  snap.seals["suspended_lapsed"] = seal("suspended_lapsed", S::suspended, "cloud", kNow - 1);
  snap.seals["revoked"] = seal("revoked", S::revoked, "cloud");
  snap.seals["revoked_lapsed"] = seal("revoked_lapsed", S::revoked, "cloud", kNow - 1);
  snap.seals["expired"] = seal("expired", S::expired, "cloud");
  snap.seals["ukey"] = seal("ukey", S::active, "ukey");
  snap.seals["ungranted"] = seal("ungranted", S::revoked, "cloud");
  StringSet all;
  for (const auto& [code, s] : snap.seals) {
    if (code != "ungranted") {
      all.insert(code);
    }
  }
  snap.grants[kCloudApp] = all;
  snap.grants[kUkeyApp] = all;  // never consulted: a ukey app signs nothing here
  snap.grants[kOffApp] = all;
  return snap;
}

std::string refusal(const Snapshot& snap, const std::string& app, const std::string& code,
                    std::int64_t now = kNow) {
  auto r = decide(snap, app, code, now);
  return r ? "signs" : r.error().code;
}

TEST(SignDecision, AGrantedActiveCloudSealSigns) {
  Snapshot snap = sample();
  auto r = decide(snap, kCloudApp, "active", kNow);
  ASSERT_TRUE(r) << r.error().code;
  EXPECT_EQ(*r, &snap.seals.at("active"));
  EXPECT_EQ((*r)->key_id, "active");
}

TEST(SignDecision, TheAppIsJudgedFirst) {
  Snapshot snap = sample();
  EXPECT_EQ(refusal(snap, "nobody", "active"), "token_invalid");
  EXPECT_EQ(refusal(snap, "nobody", "no-such-seal"), "token_invalid");
  EXPECT_EQ(refusal(snap, kOffApp, "active"), "app_disabled");
  EXPECT_EQ(refusal(snap, kOffApp, "no-such-seal"), "app_disabled");
}

TEST(SignDecision, AnUnknownSealIsNotFoundBeforeAnythingAboutIt) {
  Snapshot snap = sample();
  EXPECT_EQ(refusal(snap, kCloudApp, "no-such-seal"), "seal_not_found");
  EXPECT_EQ(refusal(snap, kUkeyApp, "no-such-seal"), "seal_not_found");
}

// Revoking a seal drops its grants, so its former holders must still hear
// seal_revoked: the seal's state (public anyway, through the CRL) comes
// before the grant check.
TEST(SignDecision, TheSealsStateComesBeforeTheGrant) {
  Snapshot snap = sample();
  EXPECT_EQ(refusal(snap, kCloudApp, "ungranted"), "seal_revoked");
  snap.grants.erase(kCloudApp);
  EXPECT_EQ(refusal(snap, kCloudApp, "active"), "seal_not_granted");
  EXPECT_EQ(refusal(snap, kCloudApp, "revoked"), "seal_revoked");
}

TEST(SignDecision, AUkeyAppSignsNothingHereEvenWithAGrant) {
  Snapshot snap = sample();
  EXPECT_EQ(refusal(snap, kUkeyApp, "active"), "seal_not_granted");
  EXPECT_EQ(refusal(snap, kUkeyApp, "ukey"), "seal_not_cloud");
}

TEST(SignDecision, TheSealsEffectiveStatusDecides) {
  Snapshot snap = sample();
  EXPECT_EQ(refusal(snap, kCloudApp, "revoked"), "seal_revoked");
  EXPECT_EQ(refusal(snap, kCloudApp, "revoked_lapsed"), "seal_revoked");
  EXPECT_EQ(refusal(snap, kCloudApp, "suspended"), "seal_suspended");
  // Past not_after a suspended seal is expired: restoring it cannot help.
  EXPECT_EQ(refusal(snap, kCloudApp, "suspended_lapsed"), "seal_expired");
  EXPECT_EQ(refusal(snap, kCloudApp, "expired"), "seal_expired");
  EXPECT_EQ(refusal(snap, kCloudApp, "lapsed"), "seal_expired");
}

TEST(SignDecision, ValidityEndsAfterItsLastMillisecond) {
  Snapshot snap = sample();
  std::int64_t end = snap.seals.at("active").not_after_ms;
  EXPECT_EQ(refusal(snap, kCloudApp, "active", end), "signs");
  EXPECT_EQ(refusal(snap, kCloudApp, "active", end + 1), "seal_expired");
}

TEST(SignDecision, AGrantedUkeySealIsNotCloud) {
  Snapshot snap = sample();
  EXPECT_EQ(refusal(snap, kCloudApp, "ukey"), "seal_not_cloud");
  // ...but its state is reported first, as for any seal.
  snap.seals["ukey"].status = seals::SealStatus::revoked;
  EXPECT_EQ(refusal(snap, kCloudApp, "ukey"), "seal_revoked");
}

}  // namespace
}  // namespace seald::signing
