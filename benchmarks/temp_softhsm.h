#pragma once

// A throw-away SoftHSMv2 token for a benchmark run: a private temporary
// folder with its own softhsm2.conf (SOFTHSM2_CONF is set for this process,
// so make it before the module is loaded), a token with random PINs, all
// removed when the object dies.

#include <string>

#include "core/error.h"
#include "core/secret.h"
#include "hsm/module.h"
#include "hsm/token.h"

namespace seald::bench {

class TempSoftHsm {
 public:
  static Result<std::unique_ptr<TempSoftHsm>> create(const std::string& module_path);
  ~TempSoftHsm();
  TempSoftHsm(const TempSoftHsm&) = delete;
  TempSoftHsm& operator=(const TempSoftHsm&) = delete;

  const hsm::ModulePtr& module() const { return module_; }
  const std::string& label() const { return label_; }
  const std::string& dir() const { return dir_; }
  // Hands out a copy of the in-memory user PIN; nothing is written to disk.
  hsm::PinSource pin_source() const;

 private:
  TempSoftHsm() = default;

  std::string dir_;
  std::string label_;
  Secret user_pin_;
  hsm::ModulePtr module_;
};

}  // namespace seald::bench
