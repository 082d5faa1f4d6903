#include "tests/pki/ca_fixture.h"

#include <unistd.h>
#include <atomic>

#include <fstream>

#include "hsm/keys.h"
#include "tests/support/child_process.h"
#include "tests/support/softhsm_token.h"

namespace seald::pki::test {

std::string fresh_id(const std::string& prefix) {
  static std::atomic<unsigned> next{0};
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(next++);
}

CaTest::CaTest() {
  token_ = seald::testing::SoftHsmToken::instance().open_token().value();
  redis::Endpoint endpoint;
  endpoint.port = redis_.port();
  pool_ = std::make_unique<redis::Pool>(endpoint, 4);
  ca_key_id_ = fresh_id("ca");
}

CaOptions CaTest::options(hsm::KeyAlgorithm algorithm) const {
  CaOptions o;
  o.common_name = "seald Test Root CA";
  o.organisation = "seald tests";
  o.algorithm = algorithm;
  o.key_id = ca_key_id_;
  o.key_label = "seald CA " + ca_key_id_;
  return o;
}

std::unique_ptr<CertificateAuthority> CaTest::open_ca(const CaOptions& options) {
  auto ca = CertificateAuthority::open_or_create(token_, *pool_, options);
  EXPECT_TRUE(ca) << (ca ? "" : ca.error().code + ": " + ca.error().message);
  return ca ? std::move(*ca) : nullptr;
}

Bytes CaTest::seal_key(hsm::KeyAlgorithm algorithm) {
  auto id = fresh_id("seal");
  EXPECT_TRUE(hsm::generate_key_pair(*token_, algorithm, id, id));
  return hsm::public_key_der(*token_, id).value();
}

SealCertificateRequest CaTest::seal_request(const std::string& seal_name, Bytes public_key) const {
  SealCertificateRequest r;
  r.seal_name = seal_name;
  r.org_name = "测试市人民政府";
  r.seal_code = "3301002026000001";
  r.credit_code = "11330100002493614X";
  r.public_key_der = std::move(public_key);
  r.not_before = std::chrono::system_clock::now();
  r.not_after = r.not_before + std::chrono::hours(24 * 365);
  return r;
}

std::string CaTest::write(const std::string& name, const Bytes& bytes) const {
  return write(name, std::string(bytes.begin(), bytes.end()));
}

std::string CaTest::write(const std::string& name, const std::string& text) const {
  auto path = dir_.file(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

CommandResult CaTest::run(const std::vector<std::string>& argv) const {
  CommandResult r;
  r.status =
      seald::testing::run_command(argv, &r.output, seald::testing::SoftHsmToken::instance().env());
  return r;
}

std::string CaTest::to_pem(const std::string& der_path, const std::string& kind) const {
  auto pem_path = der_path + ".pem";
  auto r = run({"openssl", kind, "-inform", "DER", "-in", der_path, "-out", pem_path});
  EXPECT_EQ(r.status, 0) << r.output;
  return pem_path;
}

}  // namespace seald::pki::test
