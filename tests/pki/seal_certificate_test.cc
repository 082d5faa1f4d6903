// A seal's certificate as a relying party sees it: it chains to the root,
// names the seal and its org, may sign documents but not certificates, and
// lives only as long as asked (and never longer than the CA).

#include <algorithm>
#include <cctype>

#include <gtest/gtest.h>

#include "tests/pki/ca_fixture.h"

namespace seald::pki::test {
namespace {

class SealCertificate : public CaTest {};

std::string upper_without_leading_zeros(std::string hex) {
  std::transform(hex.begin(), hex.end(), hex.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  auto first = hex.find_first_not_of('0');
  return first == std::string::npos ? "0" : hex.substr(first);
}

TEST_F(SealCertificate, VerifiesAgainstTheRootAndNamesTheSeal) {
  auto ca = open_ca(options());
  ASSERT_TRUE(ca);
  auto issued = ca->issue_seal_certificate(seal_request("测试市人民政府合同专用章", seal_key()));
  ASSERT_TRUE(issued) << issued.error().message;
  auto ca_pem = write("ca.pem", ca->certificate_pem());
  auto seal_pem = to_pem(write("seal.der", issued->der), "x509");

  auto verify = run({"openssl", "verify", "-CAfile", ca_pem, seal_pem});
  EXPECT_EQ(verify.status, 0) << verify.output;

  auto subject = run({"openssl", "x509", "-in", seal_pem, "-noout", "-subject", "-nameopt",
                      "oneline,-esc_msb,sname"});
  ASSERT_EQ(subject.status, 0) << subject.output;
  for (const char* expected :
       {"CN = 测试市人民政府合同专用章", "O = 测试市人民政府", "serialNumber = 3301002026000001",
        "organizationIdentifier = 11330100002493614X"}) {
    EXPECT_NE(subject.output.find(expected), std::string::npos) << expected << "\n"
                                                                << subject.output;
  }

  auto text = run({"openssl", "x509", "-in", seal_pem, "-noout", "-text"});
  for (const char* expected :
       {"X509v3 Key Usage: critical", "Digital Signature, Non Repudiation",
        "X509v3 Basic Constraints: critical", "CA:FALSE", "X509v3 Subject Key Identifier",
        "X509v3 Authority Key Identifier", "Issuer: CN = seald Test Root CA"}) {
    EXPECT_NE(text.output.find(expected), std::string::npos) << expected << "\n" << text.output;
  }
  EXPECT_EQ(text.output.find("Certificate Sign"), std::string::npos) << text.output;

  // The serial the CA reports is the one in the certificate, 128 random bits.
  auto serial = run({"openssl", "x509", "-in", seal_pem, "-noout", "-serial"});
  EXPECT_EQ(upper_without_leading_zeros(serial.output.substr(
                serial.output.find('=') + 1,
                serial.output.find_last_not_of("\n") - serial.output.find('='))),
            upper_without_leading_zeros(issued->serial_hex));
  EXPECT_LE(issued->serial_hex.size(), 32u);
  EXPECT_GE(issued->serial_hex.size(), 20u);  // not a counter

  // A certificate whose chain is the seal's cannot act as a CA.
  auto as_ca = run({"openssl", "verify", "-CAfile", seal_pem, seal_pem});
  EXPECT_NE(as_ca.status, 0) << as_ca.output;
}

TEST_F(SealCertificate, SerialsDiffer) {
  auto ca = open_ca(options());
  ASSERT_TRUE(ca);
  auto key = seal_key();
  auto a = ca->issue_seal_certificate(seal_request("a", key));
  auto b = ca->issue_seal_certificate(seal_request("a", key));
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->serial_hex, b->serial_hex);
}

TEST_F(SealCertificate, ValidityIsAsAskedAndClippedToTheCa) {
  auto ca = open_ca(options());
  ASSERT_TRUE(ca);
  auto request = seal_request("名章", seal_key());
  request.not_before = std::chrono::sys_days{std::chrono::year{2030} / 1 / 2};
  request.not_after = std::chrono::sys_days{std::chrono::year{2032} / 1 / 2};
  auto issued = ca->issue_seal_certificate(request);
  ASSERT_TRUE(issued) << issued.error().message;
  auto seal = write("seal.der", issued->der);
  auto dates = run({"openssl", "x509", "-inform", "DER", "-in", seal, "-noout", "-dates"});
  EXPECT_NE(dates.output.find("notBefore=Jan  2 00:00:00 2030 GMT"), std::string::npos)
      << dates.output;
  EXPECT_NE(dates.output.find("notAfter=Jan  2 00:00:00 2032 GMT"), std::string::npos)
      << dates.output;

  request.not_after = std::chrono::system_clock::now() + std::chrono::hours(24 * 365 * 100);
  auto clipped = ca->issue_seal_certificate(request);
  ASSERT_TRUE(clipped) << clipped.error().message;
  auto ca_pem = write("ca.pem", ca->certificate_pem());
  auto ca_end = run({"openssl", "x509", "-in", ca_pem, "-noout", "-enddate"});
  auto seal_end = run({"openssl", "x509", "-inform", "DER", "-in",
                       write("clipped.der", clipped->der), "-noout", "-enddate"});
  EXPECT_EQ(seal_end.output, ca_end.output);
}

TEST_F(SealCertificate, BadRequestsAreRefused) {
  auto ca = open_ca(options());
  ASSERT_TRUE(ca);
  auto good = seal_request("业务专用章", seal_key());

  auto no_name = good;
  no_name.seal_name.clear();
  auto garbage_key = good;
  garbage_key.public_key_der = {0x30, 0x03, 0x02, 0x01, 0x01};
  auto backwards = good;
  std::swap(backwards.not_before, backwards.not_after);
  auto unprintable_code = good;
  unprintable_code.seal_code = "印章编号";  // serialNumber is a PrintableString

  for (const auto* request : {&no_name, &garbage_key, &backwards, &unprintable_code}) {
    auto issued = ca->issue_seal_certificate(*request);
    ASSERT_FALSE(issued);
    EXPECT_EQ(issued.error().code, "certificate_request_invalid") << issued.error().message;
  }
}

}  // namespace
}  // namespace seald::pki::test
