// Making seals: a cloud seal's key is generated on the token (sensitive,
// never extractable) and its certificate, from the real CA, carries that
// very key and verifies with openssl against the CA; a ukey seal has no key
// here; a refused or failed make leaves nothing behind.

#include <openssl/x509.h>

#include <memory>

#include "hsm/keys.h"
#include "tests/seals/seal_fixture.h"
#include "tests/support/softhsm_token.h"

namespace seald::seals::test {
namespace {

std::string pem_of(const std::vector<std::uint8_t>& der) {
  std::string b64;
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::size_t i = 0;
  for (; i + 2 < der.size(); i += 3) {
    unsigned v = (der[i] << 16) | (der[i + 1] << 8) | der[i + 2];
    for (int k = 3; k >= 0; --k)
      b64 += kAlphabet[(v >> (6 * k)) & 63];
  }
  if (i < der.size()) {
    unsigned v = der[i] << 16;
    if (i + 1 < der.size())
      v |= der[i + 1] << 8;
    b64 += kAlphabet[(v >> 18) & 63];
    b64 += kAlphabet[(v >> 12) & 63];
    b64 += i + 1 < der.size() ? kAlphabet[(v >> 6) & 63] : '=';
    b64 += '=';
  }
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  for (std::size_t at = 0; at < b64.size(); at += 64)
    pem += b64.substr(at, 64) + "\n";
  return pem + "-----END CERTIFICATE-----\n";
}

// The certificate's SubjectPublicKeyInfo, as OpenSSL reads it.
std::vector<std::uint8_t> certificate_public_key(const std::vector<std::uint8_t>& der) {
  const unsigned char* p = der.data();
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
  if (!cert)
    return {};
  unsigned char* out = nullptr;
  int len = i2d_PUBKEY(X509_get0_pubkey(cert.get()), &out);
  std::vector<std::uint8_t> spki(out, out + std::max(len, 0));
  OPENSSL_free(out);
  return spki;
}

// Fails every certificate request: a fault injected after key generation.
class FailingCa : public pki::CertificateAuthority {
 public:
  const pki::Bytes& certificate_der() const override { return der_; }
  std::string certificate_pem() const override { return ""; }
  Result<pki::IssuedCertificate> issue_seal_certificate(
      const pki::SealCertificateRequest&) override {
    return make_error("hsm_unavailable", "injected: the CA key could not sign");
  }
  Status revoke(const std::string&, std::int64_t, const std::string&) override { return {}; }
  Result<pki::Bytes> crl_der() override { return pki::Bytes{}; }

 private:
  pki::Bytes der_;
};

class SealMaking : public SealTest {};

TEST_F(SealMaking, CloudSealOfEachAlgorithmHasItsKeyOnTheTokenAndAVerifiableCertificate) {
  std::string ca_file = write("ca.pem", ca_->certificate_pem());
  const auto& hsm = seald::testing::SoftHsmToken::instance();
  int n = 0;
  for (auto algorithm : {hsm::KeyAlgorithm::ec_p256, hsm::KeyAlgorithm::ec_p384,
                         hsm::KeyAlgorithm::rsa_2048, hsm::KeyAlgorithm::rsa_3072}) {
    SCOPED_TRACE(std::string(hsm::name(algorithm)));
    auto app = pending_make("数据局合同专用章" + std::to_string(++n), "cloud");
    auto seal = seals_->make(app.id, app.version, "user-operator", {algorithm, "made"});
    ASSERT_TRUE(seal) << seal.error().code << ": " << seal.error().message;
    EXPECT_EQ(seal->status, SealStatus::active);
    EXPECT_EQ(seal->key_id, seal->code);
    EXPECT_EQ(seal->key_algorithm, hsm::name(algorithm));
    ASSERT_TRUE(seal->certificate);

    // The certificate is for the token's key, not some other key.
    auto token_key = hsm::public_key_der(*token_, seal->code);
    ASSERT_TRUE(token_key);
    EXPECT_EQ(certificate_public_key(seal->certificate->der), *token_key);

    std::string cert_file =
        write("seal" + std::to_string(n) + ".pem", pem_of(seal->certificate->der));
    auto verify = run({"openssl", "verify", "-CAfile", ca_file, cert_file});
    EXPECT_EQ(verify.status, 0) << verify.output;
    auto text = run({"openssl", "x509", "-in", cert_file, "-noout", "-subject", "-nameopt",
                     "utf8,sep_comma_plus_space", "-dates"});
    EXPECT_NE(text.output.find("CN=数据局合同专用章" + std::to_string(n)), std::string::npos)
        << text.output;
    EXPECT_NE(text.output.find("O=杭州市数据资源管理局"), std::string::npos) << text.output;
    EXPECT_NE(text.output.find(seal->code), std::string::npos) << text.output;
    EXPECT_NE(text.output.find(bureau_.credit_code), std::string::npos) << text.output;
    // 2y: about two years between notBefore and notAfter.
    std::int64_t span_days = (seal->not_after_ms - seal->not_before_ms) / 86400000;
    EXPECT_GE(span_days, 730);
    EXPECT_LE(span_days, 731);

    // pkcs11-tool, which knows nothing of seald, sees a sensitive private key.
    auto env = hsm.env();
    env["SEALD_TEST_PIN"] = std::string(hsm.user_pin().reveal());
    std::string hex_id;
    for (unsigned char c : seal->code) {
      char buf[3];
      std::snprintf(buf, sizeof buf, "%02x", c);
      hex_id += buf;
    }
    std::string output;
    int status = seald::testing::run_command(
        {"pkcs11-tool", "--module", hsm.module_path(), "--token-label", hsm.label(), "--login",
         "--pin", "env:SEALD_TEST_PIN", "--list-objects", "--type", "privkey", "--id", hex_id},
        &output, env);
    ASSERT_EQ(status, 0) << output;
    EXPECT_NE(output.find("sensitive, always sensitive, never extractable"), std::string::npos)
        << output;

    // The application is completed and the name now belongs to the seal.
    auto done = workflow_->get(app.id);
    ASSERT_TRUE(done);
    EXPECT_EQ(done->state, workflow::State::completed);
    auto owner = workflow_->seal_name_owner(seal->name);
    ASSERT_TRUE(owner && *owner);
    EXPECT_EQ(**owner, "seal:" + seal->code);

    // Stored as returned.
    auto stored = seals_->get(seal->code);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->certificate->der, seal->certificate->der);
    EXPECT_EQ(stored->certificate->serial_hex, seal->certificate->serial_hex);
    EXPECT_EQ(stored->applicant_id, applicant_);
  }
}

TEST_F(SealMaking, UkeySealIsRecordedWithoutAKey) {
  auto app = pending_make("数据局财务专用章", "ukey", "finance");
  auto seal = seals_->make(app.id, app.version, "user-operator");
  ASSERT_TRUE(seal) << seal.error().code << ": " << seal.error().message;
  EXPECT_EQ(seal->usage, "ukey");
  EXPECT_TRUE(seal->key_id.empty());
  EXPECT_FALSE(seal->certificate);
  EXPECT_FALSE(key_on_token(seal->code));
  EXPECT_EQ(seals_->get(seal->code)->status, SealStatus::active);
}

TEST_F(SealMaking, MakingTwiceIsRefusedAndChangesNothing) {
  auto app = pending_make("数据局业务专用章", "cloud", "business");
  auto seal = seals_->make(app.id, app.version, "user-operator");
  ASSERT_TRUE(seal);
  auto done = workflow_->get(app.id);
  std::string before = snapshot(app.id);
  auto again = seals_->make(app.id, done->version, "user-operator");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "application_not_makeable");
  EXPECT_EQ(snapshot(app.id), before);
}

TEST_F(SealMaking, RefusesApplicationsThatAreNotNewAndPendingMake) {
  workflow::ApplicationForm form;
  form.kind = "new";
  form.org_id = bureau_.id;
  form.approving_org_id = city_.id;
  form.seal_name = "未审批的章";
  form.seal_type = "contract";
  form.usage = "cloud";
  form.validity = "1y";
  form.payment_mode = "unified";
  auto unreviewed = workflow_->create(applicant_, form);
  ASSERT_TRUE(unreviewed);
  std::string before = snapshot(unreviewed->id);
  auto keys_before = hsm::list_keys(*token_)->size();
  auto refused = seals_->make(unreviewed->id, unreviewed->version, "user-operator");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "application_not_makeable");
  EXPECT_EQ(snapshot(unreviewed->id), before);
  EXPECT_EQ(hsm::list_keys(*token_)->size(), keys_before);

  auto missing = seals_->make("no-such-application", 1, "user-operator");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "application_not_found");

  auto app = pending_make("版本冲突的章", "cloud");
  before = snapshot(app.id);
  auto stale = seals_->make(app.id, app.version - 1, "user-operator");
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, "application_version_conflict");
  EXPECT_EQ(snapshot(app.id), before);
}

TEST_F(SealMaking, ACertificateFailureAfterKeyGenerationLeavesNoKeyAndNoSeal) {
  FailingCa failing;
  Seals seals(*pool_, token_, failing, *workflow_, *orgs_, *uploads_);
  auto app = pending_make("注定失败的章", "cloud");
  auto keys_before = hsm::list_keys(*token_)->size();
  auto seal = seals.make(app.id, app.version, "user-operator");
  ASSERT_FALSE(seal);
  EXPECT_EQ(seal.error().code, "hsm_unavailable");
  EXPECT_EQ(hsm::list_keys(*token_)->size(), keys_before);
  EXPECT_EQ(redis_.cli({"--scan", "--pattern", "seald:seals:seal:*"}), "");
  EXPECT_EQ(redis_.cli({"ZCARD", "seald:seals:all"}), "0");
  EXPECT_EQ(workflow_->get(app.id)->state, workflow::State::pending_make);

  // The application can still be made once the CA works again.
  auto made = seals_->make(app.id, app.version, "user-operator");
  ASSERT_TRUE(made) << made.error().code;
  EXPECT_TRUE(key_on_token(made->code));
}

TEST_F(SealMaking, APersonalSealShowsTheUploadedPicture) {
  // A 1x1 PNG: signature, IHDR, IDAT, IEND.
  static const unsigned char kPng[] = {
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
      0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
      0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
      0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99,
      0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  std::string png(reinterpret_cast<const char*>(kPng), sizeof kPng);
  auto upload = uploads_->put(png, applicant_, uploads::UploadPolicy{});
  ASSERT_TRUE(upload) << upload.error().code << ": " << upload.error().message;
  auto app = pending_make("张三名章", "cloud", "personal_name", "", upload->id);
  auto seal = seals_->make(app.id, app.version, "user-operator");
  ASSERT_TRUE(seal) << seal.error().code << ": " << seal.error().message;
  EXPECT_EQ(seal->image, "upload:" + upload->id);
  auto image = seals_->image(*seal);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->content_type, "image/png");
  EXPECT_EQ(image->bytes, png);
}

}  // namespace
}  // namespace seald::seals::test
