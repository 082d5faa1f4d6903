// Revocation as a relying party sees it: the CRL verifies against the root,
// lists each revoked serial once with its time and reason, and makes
// `openssl verify -crl_check` refuse exactly the revoked certificates.

#include <gtest/gtest.h>

#include "tests/pki/ca_fixture.h"

namespace seald::pki::test {
namespace {

class Crl : public CaTest {};

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST_F(Crl, RevokedCertificateFailsTheCrlCheckAndOthersPass) {
  auto ca = open_ca(options());
  ASSERT_TRUE(ca);
  auto revoked = ca->issue_seal_certificate(seal_request("吊销章", seal_key()));
  auto kept = ca->issue_seal_certificate(seal_request("保留章", seal_key()));
  ASSERT_TRUE(revoked && kept);
  ASSERT_TRUE(ca->revoke(revoked->serial_hex, 1767225600000, "keyCompromise"));

  auto crl = ca->crl_der();
  ASSERT_TRUE(crl) << crl.error().message;
  auto ca_pem = write("ca.pem", ca->certificate_pem());
  auto crl_pem = to_pem(write("crl.der", *crl), "crl");
  auto revoked_pem = to_pem(write("revoked.der", revoked->der), "x509");
  auto kept_pem = to_pem(write("kept.der", kept->der), "x509");

  auto signature = run({"openssl", "crl", "-in", crl_pem, "-CAfile", ca_pem, "-verify", "-noout"});
  EXPECT_EQ(signature.status, 0) << signature.output;
  EXPECT_NE(signature.output.find("verify OK"), std::string::npos) << signature.output;

  auto text = run({"openssl", "crl", "-in", crl_pem, "-noout", "-text"});
  for (const char* expected :
       {"Version 2 (0x1)", "Next Update:", "X509v3 CRL Number", "X509v3 Authority Key Identifier",
        "Key Compromise", "Revocation Date: Jan  1 00:00:00 2026 GMT"}) {
    EXPECT_NE(text.output.find(expected), std::string::npos) << expected << "\n" << text.output;
  }

  auto refused =
      run({"openssl", "verify", "-crl_check", "-CRLfile", crl_pem, "-CAfile", ca_pem, revoked_pem});
  EXPECT_NE(refused.status, 0) << refused.output;
  EXPECT_NE(refused.output.find("certificate revoked"), std::string::npos) << refused.output;

  auto passed =
      run({"openssl", "verify", "-crl_check", "-CRLfile", crl_pem, "-CAfile", ca_pem, kept_pem});
  EXPECT_EQ(passed.status, 0) << passed.output;
}

TEST_F(Crl, EmptyCrlVerifiesAndNumbersIncrease) {
  auto ca = open_ca(options());
  ASSERT_TRUE(ca);
  auto ca_pem = write("ca.pem", ca->certificate_pem());
  std::vector<std::string> numbers;
  for (int i = 0; i < 2; ++i) {
    auto crl = ca->crl_der();
    ASSERT_TRUE(crl) << crl.error().message;
    auto crl_pem = to_pem(write("crl" + std::to_string(i) + ".der", *crl), "crl");
    auto checked = run(
        {"openssl", "crl", "-in", crl_pem, "-CAfile", ca_pem, "-verify", "-noout", "-crlnumber"});
    EXPECT_EQ(checked.status, 0) << checked.output;
    EXPECT_NE(checked.output.find("verify OK"), std::string::npos) << checked.output;
    numbers.push_back(checked.output.substr(checked.output.find("crlNumber=")));
  }
  EXPECT_EQ(numbers[0], "crlNumber=0x01\n");
  EXPECT_EQ(numbers[1], "crlNumber=0x02\n");
}

TEST_F(Crl, RevokeIsIdempotentAndShared) {
  auto ca = open_ca(options());
  ASSERT_TRUE(ca);
  auto issued = ca->issue_seal_certificate(seal_request("挂失章", seal_key()));
  ASSERT_TRUE(issued);
  ASSERT_TRUE(ca->revoke(issued->serial_hex, 1767225600000, "superseded"));
  // A second revoke (a retry, or another node) keeps the first time and reason.
  ASSERT_TRUE(ca->revoke(issued->serial_hex, 1767312000000, "keyCompromise"));

  // Another node's CA over the same Redis and token serves the same list.
  auto other = open_ca(options());
  ASSERT_TRUE(other);
  auto crl = other->crl_der();
  ASSERT_TRUE(crl);
  auto text =
      run({"openssl", "crl", "-inform", "DER", "-in", write("crl.der", *crl), "-noout", "-text"});
  EXPECT_EQ(count(text.output, "Serial Number:"), 1u) << text.output;
  EXPECT_NE(text.output.find("Superseded"), std::string::npos) << text.output;
  EXPECT_EQ(text.output.find("Key Compromise"), std::string::npos) << text.output;
}

TEST_F(Crl, BadRevocationsChangeNothing) {
  auto ca = open_ca(options());
  ASSERT_TRUE(ca);
  auto bad_reason = ca->revoke("0abc", 1767225600000, "lostTheKey");
  ASSERT_FALSE(bad_reason);
  EXPECT_EQ(bad_reason.error().code, "revocation_reason_invalid");
  for (const char* serial : {"", "xyz", "12 34"}) {
    auto bad_serial = ca->revoke(serial, 1767225600000, "keyCompromise");
    ASSERT_FALSE(bad_serial);
    EXPECT_EQ(bad_serial.error().code, "serial_invalid");
  }
  EXPECT_EQ(redis_.cli({"HLEN", "seald:ca:revoked"}), "0");
}

}  // namespace
}  // namespace seald::pki::test
