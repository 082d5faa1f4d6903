// HSM faults against a real seald: its PKCS#11 module is the fault-injecting
// wrapper in tests/support/faulty_pkcs11 around SoftHSMv2, steered through a
// control file while seald runs. seald must answer 503 hsm_unavailable or
// recover, stay up, and never hand out a signature that openssl rejects.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "core/base64.h"
#include "tests/e2e/signing_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace seald::testing {
namespace {

// Owns the control file and a node that loads the wrapper.
class FaultyHsm {
 public:
  FaultyHsm() : dir_("seald-hsm-fault"), control_(dir_.file("faults")) { write_file(control_, ""); }
  SealdNode::Options options() const {
    SealdNode::Options o;
    o.hsm_module = FAULTY_PKCS11_PATH;
    o.extra_env = {{"FAULTY_PKCS11_CONTROL", control_},
                   {"FAULTY_PKCS11_TARGET", TokenDir::kModule}};
    return o;
  }
  // Written to a new file and renamed over, so the module never reads half.
  void set(const std::string& rules) {
    std::string next = control_ + ".next";
    write_file(next, rules);
    ASSERT_EQ(std::rename(next.c_str(), control_.c_str()), 0);
  }
  void clear() { set(""); }

 private:
  TempDir dir_;
  std::string control_;
};

struct Fixture {
  explicit Fixture(const std::string& extra_toml = "")
      : node([&] {
          SealdNode::Options o = faults.options();
          o.extra_toml = extra_toml;
          return o;
        }()) {}
  FaultyHsm faults;
  SealdNode node;
};

// What an app would do with a 200: check every signature against the seal
// certificate with openssl. Returns how many it checked.
int expect_valid_signatures(SigningSetup& s, const ApiReply& r, const std::string& doc) {
  static std::atomic<int> n = 0;
  auto cert_bytes = base64_decode(r.body.at("certificate").as_string());
  EXPECT_TRUE(cert_bytes);
  std::string tag = std::to_string(++n);
  std::string cert =
      s.write("cert" + tag + ".der", std::string(cert_bytes->begin(), cert_bytes->end()));
  std::string pub = s.dir.file("pub" + tag + ".pem");
  EXPECT_EQ(s.openssl({"x509", "-inform", "DER", "-in", cert, "-noout", "-pubkey", "-out", pub}),
            0);
  int checked = 0;
  for (const auto& sig_b64 : r.body.at("signatures").as_array()) {
    auto sig_bytes = base64_decode(sig_b64.as_string());
    EXPECT_TRUE(sig_bytes);
    std::string sig = s.write("sig" + tag + "-" + std::to_string(checked),
                              std::string(sig_bytes->begin(), sig_bytes->end()));
    std::string out;
    EXPECT_EQ(s.openssl({"dgst", "-sha256", "-verify", pub, "-signature", sig, doc}, &out), 0)
        << "a signature returned under an HSM fault does not verify: " << out;
    ++checked;
  }
  return checked;
}

struct Outcomes {
  int ok = 0, unavailable = 0, other = 0;
};

// Signs `tries` times, checking each answer; stops at the first 200 when
// `until_ok`.
Outcomes sign_and_check(SigningSetup& s, const SigningSetup::Ready& r, int tries, bool until_ok) {
  Outcomes o;
  std::string doc = s.dir.file("ready-doc.txt");
  for (int i = 0; i < tries; ++i) {
    auto reply = s.sign(r.token, r.code, "SHA-256", {r.hash});
    if (reply.status == 200) {
      ++o.ok;
      EXPECT_EQ(expect_valid_signatures(s, reply, doc), 1);
      if (until_ok) {
        break;
      }
    } else if (reply.status == 503 && reply.error() == "hsm_unavailable") {
      ++o.unavailable;
      EXPECT_FALSE(reply.body.as_object().contains("signatures")) << reply.raw;
    } else {
      ++o.other;
      ADD_FAILURE() << "unexpected answer under an HSM fault: " << reply.status << " " << reply.raw;
    }
  }
  return o;
}

TEST(HsmFault, DeviceErrorOnSignIs503AndSigningResumesWhenItClears) {
  Fixture f;
  ASSERT_TRUE(f.node.start()) << f.node.log();
  SigningSetup s(f.node);
  auto r = s.ready_to_sign("设备故障应用");
  ASSERT_EQ(sign_and_check(s, r, 1, true).ok, 1);

  f.faults.set("fail C_Sign CKR_DEVICE_ERROR\n");
  Outcomes during = sign_and_check(s, r, 3, false);
  EXPECT_EQ(during.unavailable, 3);
  EXPECT_EQ(during.ok, 0);
  EXPECT_TRUE(f.node.running());
  EXPECT_EQ(http_request("GET", f.node.url("/healthz")).status, 200);

  f.faults.clear();
  Outcomes after = sign_and_check(s, r, 1, true);
  EXPECT_EQ(after.ok, 1) << f.node.log();
  EXPECT_TRUE(f.node.running());
}

TEST(HsmFault, InvalidSessionHandlesAreRenewedAndNoBadSignatureEscapes) {
  Fixture f;
  ASSERT_TRUE(f.node.start()) << f.node.log();
  SigningSetup s(f.node);
  auto r = s.ready_to_sign("会话失效应用");
  ASSERT_EQ(sign_and_check(s, r, 1, true).ok, 1);

  // One failure: seald opens a new session and the same request succeeds.
  f.faults.set("fail C_Sign CKR_SESSION_HANDLE_INVALID count=1\n");
  Outcomes once = sign_and_check(s, r, 1, true);
  EXPECT_EQ(once.ok, 1) << f.node.log();
  EXPECT_NE(f.node.log().find("hsm_session_handle_invalid"), std::string::npos)
      << "the fault was not injected";

  // Three in a row: more than one retry can absorb, so some 503s, then 200.
  f.faults.set("fail C_Sign CKR_SESSION_HANDLE_INVALID count=3\n");
  Outcomes burst = sign_and_check(s, r, 5, true);
  EXPECT_EQ(burst.ok, 1) << f.node.log();
  EXPECT_LE(burst.unavailable, 2);
  std::printf("count=3 burst: %d x 503 before the 200\n", burst.unavailable);
  EXPECT_TRUE(f.node.running());

  // Afterwards a batch signs normally.
  f.faults.clear();
  auto batch = s.sign(r.token, r.code, "SHA-256", {r.hash, r.hash, r.hash});
  ASSERT_EQ(batch.status, 200) << batch.raw;
  EXPECT_EQ(expect_valid_signatures(s, batch, s.dir.file("ready-doc.txt")), 3);
}

TEST(HsmFault, LoggedOutTokenIsLoggedInAgainOr503WhileItPersists) {
  Fixture f;
  ASSERT_TRUE(f.node.start()) << f.node.log();
  SigningSetup s(f.node);
  auto r = s.ready_to_sign("登录失效应用");
  ASSERT_EQ(sign_and_check(s, r, 1, true).ok, 1);

  // A single loss of login: seald logs in on a new session and signs.
  f.faults.set("fail C_SignInit CKR_USER_NOT_LOGGED_IN count=1\n");
  Outcomes once = sign_and_check(s, r, 1, true);
  EXPECT_EQ(once.ok, 1) << f.node.log();
  EXPECT_NE(f.node.log().find("hsm_user_not_logged_in"), std::string::npos);

  // While the token keeps refusing: 503, never anything else.
  f.faults.set("fail C_SignInit CKR_USER_NOT_LOGGED_IN\n");
  Outcomes during = sign_and_check(s, r, 3, false);
  EXPECT_EQ(during.unavailable, 3);
  EXPECT_TRUE(f.node.running());

  f.faults.clear();
  EXPECT_EQ(sign_and_check(s, r, 1, true).ok, 1) << f.node.log();
}

TEST(HsmFault, NoNewSessionWhileTheDeviceFailsIs503ThenRecovers) {
  // One signing thread, so one PKCS#11 session: with more, a worker that
  // kept its session (and its cached key handle) rightly signs on.
  Fixture f("[signing]\nworkers = 1\n");
  ASSERT_TRUE(f.node.start()) << f.node.log();
  SigningSetup s(f.node);
  auto r = s.ready_to_sign("会话重建应用");
  ASSERT_EQ(sign_and_check(s, r, 1, true).ok, 1);

  // The session dies and no new one can be opened: nothing to sign with.
  f.faults.set(
      "fail C_Sign CKR_SESSION_HANDLE_INVALID\n"
      "fail C_OpenSession CKR_DEVICE_ERROR\n");
  Outcomes during = sign_and_check(s, r, 3, false);
  EXPECT_EQ(during.unavailable, 3);
  EXPECT_TRUE(f.node.running());

  // Key lookups failing on the fresh session read the same way.
  f.faults.set("fail C_FindObjectsInit CKR_DEVICE_ERROR\n");
  EXPECT_EQ(sign_and_check(s, r, 2, false).unavailable, 2);

  f.faults.clear();
  EXPECT_EQ(sign_and_check(s, r, 1, true).ok, 1) << f.node.log();
}

TEST(HsmFault, FaultsUnderConcurrentLoadNeverYieldABadSignature) {
  Fixture f;
  ASSERT_TRUE(f.node.start()) << f.node.log();
  SigningSetup s(f.node);
  auto r = s.ready_to_sign("并发故障应用");
  ASSERT_EQ(sign_and_check(s, r, 1, true).ok, 1);

  // Sessions die now and then while calls overlap on both io threads.
  f.faults.set(
      "fail C_Sign CKR_SESSION_HANDLE_INVALID count=6\n"
      "fail C_SignInit CKR_USER_NOT_LOGGED_IN count=3\n"
      "delay C_Sign 40\n");
  std::atomic<int> ok = 0, unavailable = 0;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      Outcomes o = sign_and_check(s, r, 6, false);
      ok += o.ok;
      unavailable += o.unavailable;
    });
  }
  for (auto& c : clients) {
    c.join();
  }
  std::printf("concurrent: %d x 200, %d x 503 of 24\n", ok.load(), unavailable.load());
  EXPECT_EQ(ok + unavailable, 24);
  EXPECT_GE(ok, 24 - 9);  // at most one 503 per injected fault
  EXPECT_TRUE(f.node.running());

  // The faults are used up: full service again.
  EXPECT_EQ(sign_and_check(s, r, 3, false).ok, 3) << f.node.log();
}

TEST(HsmFault, SlowSignsStillAnswerCorrectlyJustLater) {
  Fixture f;
  ASSERT_TRUE(f.node.start()) << f.node.log();
  SigningSetup s(f.node);
  auto r = s.ready_to_sign("慢速签名应用");
  ASSERT_EQ(sign_and_check(s, r, 1, true).ok, 1);

  f.faults.set("delay C_Sign 300\n");
  for (int i = 0; i < 3; ++i) {
    auto start = std::chrono::steady_clock::now();
    Outcomes o = sign_and_check(s, r, 1, true);
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(o.ok, 1);
    EXPECT_GE(took, std::chrono::milliseconds(300));
  }
  f.faults.clear();
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(sign_and_check(s, r, 1, true).ok, 1);
  // openssl's check is inside the timing too; a clear HSM is well under 300 ms.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
}

}  // namespace
}  // namespace seald::testing
