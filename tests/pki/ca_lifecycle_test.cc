// The CA itself: a self-signed root with the CA extensions, its key sensitive
// and never extractable on the token, the same CA after a restart, one CA when
// two openers race, and clear errors when the token and Redis disagree.

#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "hsm/keys.h"
#include "hsm/objects.h"
#include "tests/pki/ca_fixture.h"
#include "tests/support/softhsm_token.h"

namespace seald::pki::test {
namespace {

class CaLifecycle : public CaTest {};

TEST_F(CaLifecycle, RootVerifiesItselfAndCarriesTheCaExtensions) {
  auto ca = open_ca(options());
  ASSERT_TRUE(ca);
  auto pem = write("ca.pem", ca->certificate_pem());

  auto verify = run({"openssl", "verify", "-CAfile", pem, pem});
  EXPECT_EQ(verify.status, 0) << verify.output;
  EXPECT_NE(verify.output.find(": OK"), std::string::npos) << verify.output;

  auto text = run({"openssl", "x509", "-in", pem, "-noout", "-text"});
  ASSERT_EQ(text.status, 0) << text.output;
  for (const char* expected :
       {"X509v3 Basic Constraints: critical", "CA:TRUE", "X509v3 Key Usage: critical",
        "Certificate Sign, CRL Sign", "X509v3 Subject Key Identifier",
        "X509v3 Authority Key Identifier", "ecdsa-with-SHA256", "Subject: CN = seald Test Root CA",
        "Version: 3 (0x2)"}) {
    EXPECT_NE(text.output.find(expected), std::string::npos) << expected << "\n" << text.output;
  }
  // The DER and the PEM are the same certificate.
  auto der = write("ca.der", ca->certificate_der());
  auto from_der = run({"openssl", "x509", "-inform", "DER", "-in", der, "-noout", "-fingerprint"});
  auto from_pem = run({"openssl", "x509", "-in", pem, "-noout", "-fingerprint"});
  EXPECT_EQ(from_der.output, from_pem.output);
}

TEST_F(CaLifecycle, CaPrivateKeyIsSensitiveAndNotExtractable) {
  auto ca = open_ca(options());
  ASSERT_TRUE(ca);
  auto flags = token_->with_session([&](hsm::SessionContext& context) -> Result<std::string> {
    auto key = hsm::find_key(context, CKO_PRIVATE_KEY, ca_key_id_);
    if (!key) {
      return key.error();
    }
    std::string out;
    for (auto type : {CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_NEVER_EXTRACTABLE}) {
      auto value = hsm::get_attribute(context, *key, type);
      if (!value) {
        return value.error();
      }
      out += (value->size() == 1 && (*value)[0] == CK_TRUE) ? '1' : '0';
    }
    // The private value itself must be refused.
    auto secret = hsm::get_attribute(context, *key, CKA_VALUE);
    out += secret ? "readable" : "refused";
    return out;
  });
  ASSERT_TRUE(flags) << flags.error().message;
  EXPECT_EQ(*flags, "101refused");  // sensitive, not extractable, never was

  // pkcs11-tool, which knows nothing of seald, sees the same.
  const auto& hsm = seald::testing::SoftHsmToken::instance();
  auto listed = run({"pkcs11-tool", "--module", hsm.module_path(), "--token-label", hsm.label(),
                     "--login", "--pin", std::string(hsm.user_pin().reveal()), "--list-objects",
                     "--type", "privkey", "--id", [&] {
                       std::string hex;
                       for (unsigned char c : ca_key_id_) {
                         static constexpr char kDigits[] = "0123456789abcdef";
                         hex += kDigits[c >> 4];
                         hex += kDigits[c & 0xf];
                       }
                       return hex;
                     }()});
  ASSERT_EQ(listed.status, 0) << listed.output;
  EXPECT_NE(listed.output.find("never extractable"), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("sensitive"), std::string::npos) << listed.output;
}

TEST_F(CaLifecycle, ReopeningGivesTheSameCa) {
  auto first = open_ca(options());
  ASSERT_TRUE(first);
  auto der = first->certificate_der();
  first.reset();
  // A restart: a new pool (new connections), the same Redis data and token.
  pool_.reset();
  redis_.stop();
  redis_.start();
  redis::Endpoint endpoint;
  endpoint.port = redis_.port();
  pool_ = std::make_unique<redis::Pool>(endpoint, 2);
  auto again = open_ca(options());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->certificate_der(), der);
  // It can still sign: a seal certificate from the reopened CA verifies.
  auto issued = again->issue_seal_certificate(seal_request("合同专用章", seal_key()));
  ASSERT_TRUE(issued) << issued.error().message;
  auto ca_pem = write("ca.pem", again->certificate_pem());
  auto seal_pem = to_pem(write("seal.der", issued->der), "x509");
  EXPECT_EQ(run({"openssl", "verify", "-CAfile", ca_pem, seal_pem}).status, 0);
}

TEST_F(CaLifecycle, TwoOpenersAtOnceMakeOneCa) {
  constexpr int kOpeners = 4;
  std::vector<Bytes> certificates(kOpeners);
  std::vector<std::string> errors(kOpeners);
  std::vector<std::thread> threads;
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] {
      auto ca = CertificateAuthority::open_or_create(token_, *pool_, options());
      if (ca) {
        certificates[i] = (*ca)->certificate_der();
      } else {
        errors[i] = ca.error().code + ": " + ca.error().message;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  for (int i = 0; i < kOpeners; ++i) {
    EXPECT_EQ(errors[i], "");
    EXPECT_EQ(certificates[i], certificates[0]);
  }
  auto keys = hsm::list_keys(*token_).value();
  int ca_keys = 0;
  for (const auto& key : keys) {
    ca_keys += key.id == ca_key_id_ ? 1 : 0;
  }
  EXPECT_EQ(ca_keys, 1);
}

TEST_F(CaLifecycle, KeyOnTokenWithoutCertificateIsAClearError) {
  ASSERT_TRUE(open_ca(options()));
  redis_.cli({"DEL", "seald:ca:certificate"});
  auto reopened = CertificateAuthority::open_or_create(token_, *pool_, options());
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, "ca_certificate_missing");
  EXPECT_NE(reopened.error().message.find(ca_key_id_), std::string::npos);
  // Nothing was changed: the key is still there for an operator to restore.
  EXPECT_TRUE(hsm::public_key_der(*token_, ca_key_id_));
}

TEST_F(CaLifecycle, CertificateWithoutKeyIsAClearError) {
  ASSERT_TRUE(open_ca(options()));
  ASSERT_TRUE(hsm::destroy_key_pair(*token_, ca_key_id_));
  auto reopened = CertificateAuthority::open_or_create(token_, *pool_, options());
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, "ca_key_missing");
}

TEST_F(CaLifecycle, CertificateForAnotherKeyIsRefused) {
  ASSERT_TRUE(open_ca(options()));
  auto other = options();
  other.key_id = fresh_id("other-ca");
  ASSERT_TRUE(hsm::generate_key_pair(*token_, hsm::KeyAlgorithm::ec_p256, other.key_id, "x"));
  auto reopened = CertificateAuthority::open_or_create(token_, *pool_, other);
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, "ca_key_mismatch");
}

TEST_F(CaLifecycle, RsaCaSignsItsRootAndSealCertificates) {
  auto ca = open_ca(options(hsm::KeyAlgorithm::rsa_2048));
  ASSERT_TRUE(ca);
  auto ca_pem = write("ca.pem", ca->certificate_pem());
  auto text = run({"openssl", "x509", "-in", ca_pem, "-noout", "-text"});
  EXPECT_NE(text.output.find("sha256WithRSAEncryption"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Public-Key: (2048 bit)"), std::string::npos) << text.output;
  EXPECT_EQ(run({"openssl", "verify", "-CAfile", ca_pem, ca_pem}).status, 0);

  for (auto algorithm : {hsm::KeyAlgorithm::ec_p256, hsm::KeyAlgorithm::rsa_2048}) {
    auto issued = ca->issue_seal_certificate(seal_request("财务专用章", seal_key(algorithm)));
    ASSERT_TRUE(issued) << issued.error().message;
    auto seal_pem = to_pem(write("seal.der", issued->der), "x509");
    auto verify = run({"openssl", "verify", "-CAfile", ca_pem, seal_pem});
    EXPECT_EQ(verify.status, 0) << verify.output;
  }
  ASSERT_TRUE(ca->revoke(ca->issue_seal_certificate(seal_request("x", seal_key()))->serial_hex,
                         1700000000000, "superseded"));
  auto crl = ca->crl_der();
  ASSERT_TRUE(crl) << crl.error().message;
  auto crl_pem = to_pem(write("crl.der", *crl), "crl");
  auto checked = run({"openssl", "crl", "-in", crl_pem, "-CAfile", ca_pem, "-verify", "-noout"});
  EXPECT_EQ(checked.status, 0) << checked.output;
  EXPECT_NE(checked.output.find("verify OK"), std::string::npos) << checked.output;
}

}  // namespace
}  // namespace seald::pki::test
