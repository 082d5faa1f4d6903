#pragma once

// A signing deployment made through the real API, for the sign tests: the
// bootstrap admin grants itself every role it needs (reviewer and org seal
// admin of the city, operator, auditor), makes cloud seals of each key
// algorithm, registers apps, grants seals and gets app tokens — then the
// tests sign as an app would, and check the results with the openssl CLI.

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "tests/e2e/api_client.h"
#include "tests/support/temp_dir.h"

namespace seald::testing {

struct RegisteredApp {
  std::string id, client_id, secret;
};

class SigningSetup {
 public:
  // Logs in as the bootstrap admin of `node` and builds the org tree.
  explicit SigningSetup(SealdNode& node);

  // A cloud (or ukey) seal of the bureau, made with key_algorithm; its code.
  std::string make_seal(const std::string& key_algorithm, const std::string& usage = "cloud");
  RegisteredApp register_app(const std::string& name);
  void grant(const RegisteredApp& app, const std::string& code);
  // POST /oauth2/token with the credentials in the body; the access token.
  std::string token_for(const RegisteredApp& app);

  // The common start of a signing test: one app with one granted EC P-256
  // seal, its token, and the base64 SHA-256 of a small document.
  struct Ready {
    RegisteredApp app;
    std::string code, token, hash;
  };
  Ready ready_to_sign(const std::string& app_name);

  // POST /api/v1/sign with a Bearer token.
  ApiReply sign(const std::string& token, const boost::json::value& body);
  ApiReply sign(const std::string& token, const std::string& code, const std::string& algorithm,
                const std::vector<std::string>& hashes_b64, const std::string& format = "raw");

  // The bytes of a file written in the setup's folder, and its path.
  std::string write(const std::string& name, const std::string& bytes);
  // `openssl dgst -<alg> -binary` of a file, as base64 (what a client sends).
  std::string hash_b64(const std::string& path, const std::string& algorithm);
  // Runs openssl with args; its exit status (output in *out).
  int openssl(const std::vector<std::string>& args, std::string* out = nullptr);
  std::string ca_pem_path();  // GET /ca/certificate, saved

  SealdNode& node;
  std::string admin;  // the bootstrap admin's session, with every role
  std::string city, bureau;
  TempDir dir{"seald-signing"};

 private:
  int next_seal_ = 0;
};

}  // namespace seald::testing
