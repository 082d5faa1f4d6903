// The CA's public endpoints, through the real HTTP server: anyone can fetch
// the root (PEM or DER) and a CRL that the openssl CLI accepts and that
// revokes exactly what the CA revoked. Redis trouble is a 503 JSON error, and
// the endpoint recovers by itself.

#include <fstream>
#include <memory>

#include <gtest/gtest.h>

#include "api/routes.h"
#include "hsm/keys.h"
#include "pki/certificate_authority.h"
#include "redis/pool.h"
#include "tests/api/harness.h"
#include "tests/support/child_process.h"
#include "tests/support/redis_server.h"
#include "tests/support/softhsm_token.h"
#include "tests/support/temp_dir.h"

namespace seald::api::testing {
namespace {

// The CA keeps its state in a Redis of its own here: the harness starts its
// Redis while adding the routes, and the routes need the CA already open.
struct CaBackend {
  CaBackend() {
    token = seald::testing::SoftHsmToken::instance().open_token().value();
    redis::Endpoint endpoint;
    endpoint.port = redis.port();
    endpoint.connect_timeout = std::chrono::milliseconds(300);
    endpoint.command_timeout = std::chrono::milliseconds(300);
    pool = std::make_unique<redis::Pool>(endpoint, 2);
    pki::CaOptions options;
    options.key_id = "api-ca-" + std::to_string(::getpid()) + "-" + std::to_string(next++);
    ca = pki::CertificateAuthority::open_or_create(token, *pool, options).value();
  }
  static inline unsigned next = 0;
  hsm::TokenPtr token;
  seald::testing::RedisServer redis;
  std::unique_ptr<redis::Pool> pool;
  std::unique_ptr<pki::CertificateAuthority> ca;
};

class CaRoutes : public ::testing::Test {
 protected:
  CaBackend backend_;
  pki::CertificateAuthority& ca_ = *backend_.ca;
  ApiHarness harness_{{[this](server::Router& router, Services&) { add_ca_routes(router, ca_); }}};
  seald::testing::TempDir dir_{"seald-ca-routes"};

  std::string write(const std::string& name, const std::string& bytes) {
    auto path = dir_.file(name);
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  int openssl(const std::vector<std::string>& args, std::string* output) {
    std::vector<std::string> argv{"openssl"};
    argv.insert(argv.end(), args.begin(), args.end());
    return seald::testing::run_command(argv, output);
  }
  pki::IssuedCertificate issue(const std::string& seal_name) {
    auto key_id = "api-seal-" + std::to_string(::getpid()) + "-" + seal_name;
    EXPECT_TRUE(
        hsm::generate_key_pair(*backend_.token, hsm::KeyAlgorithm::ec_p256, key_id, key_id));
    pki::SealCertificateRequest request;
    request.seal_name = seal_name;
    request.org_name = "测试市人民政府";
    request.seal_code = "3301002026000009";
    request.credit_code = "11330100002493614X";
    request.public_key_der = hsm::public_key_der(*backend_.token, key_id).value();
    request.not_before = std::chrono::system_clock::now();
    request.not_after = request.not_before + std::chrono::hours(24 * 365);
    return ca_.issue_seal_certificate(request).value();
  }
};

TEST_F(CaRoutes, CertificateIsPemByDefaultAndDerWhenAsked) {
  Reply pem = harness_.call("GET", "/api/v1/ca/certificate");  // no login
  ASSERT_EQ(pem.status, 200u) << pem.body;
  EXPECT_EQ(pem.headers["content-type"], "application/x-pem-file");
  EXPECT_EQ(pem.body, ca_.certificate_pem());
  std::string output;
  auto pem_path = write("ca.pem", pem.body);
  EXPECT_EQ(openssl({"verify", "-CAfile", pem_path, pem_path}, &output), 0) << output;

  Reply der = harness_.call("GET", "/api/v1/ca/certificate", "", "",
                            {{"Accept", "Application/PKIX-Cert, */*;q=0.1"}});
  ASSERT_EQ(der.status, 200u) << der.body;
  EXPECT_EQ(der.headers["content-type"], "application/pkix-cert");
  EXPECT_EQ(der.body, std::string(ca_.certificate_der().begin(), ca_.certificate_der().end()));
  std::string from_der;
  std::string from_pem;
  openssl({"x509", "-inform", "DER", "-in", write("ca.der", der.body), "-noout", "-fingerprint"},
          &from_der);
  openssl({"x509", "-in", pem_path, "-noout", "-fingerprint"}, &from_pem);
  EXPECT_EQ(from_der, from_pem);
}

TEST_F(CaRoutes, CrlFromTheApiRevokesWhatTheCaRevoked) {
  auto revoked = issue("revoked");
  auto kept = issue("kept");
  ASSERT_TRUE(ca_.revoke(revoked.serial_hex, 1767225600000, "keyCompromise"));

  Reply crl = harness_.call("GET", "/api/v1/ca/crl");
  ASSERT_EQ(crl.status, 200u) << crl.body;
  EXPECT_EQ(crl.headers["content-type"], "application/pkix-crl");

  std::string output;
  auto ca_pem = write("ca.pem", ca_.certificate_pem());
  auto crl_pem = dir_.file("crl.pem");
  ASSERT_EQ(openssl({"crl", "-inform", "DER", "-in", write("crl.der", crl.body), "-out", crl_pem},
                    &output),
            0)
      << output;
  EXPECT_EQ(openssl({"crl", "-in", crl_pem, "-CAfile", ca_pem, "-verify", "-noout"}, &output), 0)
      << output;
  EXPECT_NE(output.find("verify OK"), std::string::npos) << output;

  auto to_pem = [&](const std::string& name, const std::vector<std::uint8_t>& der) {
    auto path = dir_.file(name + ".pem");
    openssl({"x509", "-inform", "DER", "-in",
             write(name + ".der", std::string(der.begin(), der.end())), "-out", path},
            nullptr);
    return path;
  };
  EXPECT_NE(openssl({"verify", "-crl_check", "-CRLfile", crl_pem, "-CAfile", ca_pem,
                     to_pem("revoked", revoked.der)},
                    &output),
            0);
  EXPECT_NE(output.find("certificate revoked"), std::string::npos) << output;
  EXPECT_EQ(openssl({"verify", "-crl_check", "-CRLfile", crl_pem, "-CAfile", ca_pem,
                     to_pem("kept", kept.der)},
                    &output),
            0)
      << output;
}

TEST_F(CaRoutes, RedisDownIsA503AndTheCrlComesBack) {
  backend_.redis.stop();
  Reply down = harness_.call("GET", "/api/v1/ca/crl");
  EXPECT_EQ(down.status, 503u) << down.body;
  EXPECT_EQ(down.error(), "redis_unavailable") << down.body;
  // The root needs no Redis.
  EXPECT_EQ(harness_.call("GET", "/api/v1/ca/certificate").status, 200u);

  backend_.redis.start();
  Reply back = harness_.call("GET", "/api/v1/ca/crl");
  EXPECT_EQ(back.status, 200u) << back.body;
}

}  // namespace
}  // namespace seald::api::testing
