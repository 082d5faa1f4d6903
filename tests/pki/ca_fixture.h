#pragma once

// What the pki tests share: the process's SoftHSM token, a fresh
// redis-server per test, a CA over both (each test's CA with its own key id,
// since the token is shared), seal keys on the token, and the openssl CLI
// run on files in a temporary folder.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hsm/algorithms.h"
#include "hsm/token.h"
#include "pki/certificate_authority.h"
#include "redis/pool.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace seald::pki::test {

// An id no other test in this process uses.
std::string fresh_id(const std::string& prefix);

struct CommandResult {
  int status = -1;
  std::string output;
};

class CaTest : public ::testing::Test {
 protected:
  CaTest();

  CaOptions options(hsm::KeyAlgorithm algorithm = hsm::KeyAlgorithm::ec_p256) const;
  std::unique_ptr<CertificateAuthority> open_ca(const CaOptions& options);

  // A key pair on the token for a seal; returns its SubjectPublicKeyInfo.
  Bytes seal_key(hsm::KeyAlgorithm algorithm = hsm::KeyAlgorithm::ec_p256);
  SealCertificateRequest seal_request(const std::string& seal_name, Bytes public_key) const;

  // Writes bytes to a file in the test's folder; returns its path.
  std::string write(const std::string& name, const Bytes& bytes) const;
  std::string write(const std::string& name, const std::string& text) const;
  // Runs a command (openssl, pkcs11-tool) and captures its output.
  CommandResult run(const std::vector<std::string>& argv) const;
  // PEM of a DER certificate or CRL, by openssl itself.
  std::string to_pem(const std::string& der_path, const std::string& kind) const;

  hsm::TokenPtr token_;
  seald::testing::RedisServer redis_;
  std::unique_ptr<redis::Pool> pool_;
  seald::testing::TempDir dir_{"seald-pki-test"};
  std::string ca_key_id_;
};

}  // namespace seald::pki::test
