#pragma once

// A loaded PKCS#11 module (SoftHSMv2 or a vendor's library), initialised for
// use from many threads. One Module per library per process: loading the same
// path again returns the same object, because C_Initialize and C_Finalize act
// on the whole library, not on one caller.

#include <p11-kit/pkcs11.h>

#include <memory>
#include <string>

#include "core/error.h"

namespace seald::hsm {

class Module {
 public:
  // dlopen + C_GetFunctionList + C_Initialize(CKF_OS_LOCKING_OK). Errors:
  // hsm_module_load_failed (no such library, or no C_GetFunctionList), or the
  // CK_RV of C_Initialize.
  static Result<std::shared_ptr<Module>> load(const std::string& path);

  // C_Finalize (when this object initialised the library) and dlclose.
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // The raw function list, for hsm/ itself and for tests and benchmarks that
  // must go beneath the layer.
  CK_FUNCTION_LIST* functions() const { return functions_; }
  const std::string& path() const { return path_; }

 private:
  struct DlClose {
    void operator()(void* handle) const;
  };
  using LibraryHandle = std::unique_ptr<void, DlClose>;

  Module(std::string path, LibraryHandle library, CK_FUNCTION_LIST* functions, bool finalize);

  std::string path_;
  LibraryHandle library_;
  CK_FUNCTION_LIST* functions_;  // owned by the library
  bool finalize_;
};

using ModulePtr = std::shared_ptr<Module>;

}  // namespace seald::hsm
