#pragma once

// A SoftHSMv2 token of this test process's own, in a temporary folder.
//
//   const auto& hsm = seald::testing::SoftHsmToken::instance();
//   auto token = hsm.open_token();              // logged in, ready to sign
//   ChildProcess seald({...}, log, hsm.env());  // a child sees the same token
//
// SoftHSM reads its configuration (SOFTHSM2_CONF) when the module is
// initialised, so there is one token per process: call instance() before
// anything else in the process loads the module. The token, its PINs and
// its folder live until the process exits.

#include <map>
#include <string>

#include "core/secret.h"
#include "hsm/module.h"
#include "hsm/token.h"
#include "tests/support/temp_dir.h"

namespace seald::testing {

class SoftHsmToken {
 public:
  // Made on first call: writes softhsm2.conf (token directory in the
  // temporary folder, file object store, log level ERROR), sets SOFTHSM2_CONF
  // for this process, and initialises a token with random SO and user PINs.
  // Throws std::runtime_error when SoftHSM cannot be set up.
  static const SoftHsmToken& instance();

  SoftHsmToken(const SoftHsmToken&) = delete;
  SoftHsmToken& operator=(const SoftHsmToken&) = delete;

  // libsofthsm2.so (SEALD_TEST_PKCS11_MODULE overrides the default path).
  const std::string& module_path() const { return module_path_; }
  // The module, loaded and initialised for as long as the process runs.
  const hsm::ModulePtr& module() const { return module_; }
  // "seald-test-" and random hex.
  const std::string& label() const { return label_; }
  // "pkcs11:token=<label>".
  std::string uri() const { return "pkcs11:token=" + label_; }
  // 0600 files holding the user and SO PINs.
  const std::string& pin_file() const { return pin_file_; }
  const std::string& so_pin_file() const { return so_pin_file_; }
  // For tools that take the PIN another way (pkcs11-tool); seald reads files.
  const Secret& user_pin() const { return user_pin_; }
  const std::string& conf_path() const { return conf_path_; }
  const std::string& dir() const { return dir_.path(); }
  // Environment a child process needs to see this token: SOFTHSM2_CONF.
  std::map<std::string, std::string> env() const { return {{"SOFTHSM2_CONF", conf_path_}}; }

  // A pin source reading pin_file(), as seald itself would.
  hsm::PinSource pin_source() const;
  // The token opened by label and logged in as user.
  Result<hsm::TokenPtr> open_token() const;

 private:
  SoftHsmToken();

  TempDir dir_;
  std::string module_path_;
  std::string conf_path_;
  std::string label_;
  std::string pin_file_;
  std::string so_pin_file_;
  Secret user_pin_;
  hsm::ModulePtr module_;
};

}  // namespace seald::testing
