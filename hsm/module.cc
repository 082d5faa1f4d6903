#include "hsm/module.h"

#include <dlfcn.h>
#include <stdlib.h>

#include <map>
#include <mutex>

#include <spdlog/spdlog.h>

#include "hsm/ck_error.h"

namespace seald::hsm {
namespace {

// Loaded modules by canonical path. The mutex also orders a module's
// C_Finalize against a new load of the same library, so a load never sees a
// library that is being finalised under it.
struct Registry {
  std::mutex mutex;
  std::map<std::string, std::weak_ptr<Module>> modules;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

std::string canonical(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) != nullptr) {
    return buf;
  }
  return path;
}

}  // namespace

void Module::DlClose::operator()(void* handle) const {
  if (handle != nullptr) {
    ::dlclose(handle);
  }
}

Module::Module(std::string path, LibraryHandle library, CK_FUNCTION_LIST* functions, bool finalize)
    : path_(std::move(path)),
      library_(std::move(library)),
      functions_(functions),
      finalize_(finalize) {}

Module::~Module() {
  Registry& reg = registry();
  std::lock_guard lock(reg.mutex);
  if (finalize_) {
    CK_RV rv = functions_->C_Finalize(nullptr);
    if (rv != CKR_OK) {
      spdlog::warn("PKCS#11 module {}: {}", path_, ck_error("C_Finalize", rv).message);
    }
  }
  auto it = reg.modules.find(path_);
  if (it != reg.modules.end() && it->second.expired()) {
    reg.modules.erase(it);
  }
  library_.reset();
}

Result<std::shared_ptr<Module>> Module::load(const std::string& path) {
  std::string key = canonical(path);
  Registry& reg = registry();
  std::lock_guard lock(reg.mutex);
  if (auto it = reg.modules.find(key); it != reg.modules.end()) {
    if (auto existing = it->second.lock()) {
      return existing;
    }
  }

  // RTLD_LOCAL: two vendors' modules must not resolve each other's symbols.
  LibraryHandle library(::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL));
  if (!library) {
    const char* why = ::dlerror();
    return make_error("hsm_module_load_failed", "cannot load PKCS#11 module " + path + ": " +
                                                    (why != nullptr ? why : "unknown error"));
  }
  auto get_list =
      reinterpret_cast<CK_C_GetFunctionList>(::dlsym(library.get(), "C_GetFunctionList"));
  if (get_list == nullptr) {
    return make_error("hsm_module_load_failed",
                      path + " is not a PKCS#11 module (no C_GetFunctionList)");
  }
  CK_FUNCTION_LIST* functions = nullptr;
  CK_RV rv = get_list(&functions);
  if (rv != CKR_OK || functions == nullptr) {
    return ck_error("C_GetFunctionList", rv == CKR_OK ? CKR_GENERAL_ERROR : rv);
  }

  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  rv = functions->C_Initialize(&args);
  bool finalize = true;
  if (rv == CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    // Someone else in this process (another library using the same module)
    // initialised it; finalising would pull it from under them.
    spdlog::warn("PKCS#11 module {} was already initialised in this process", path);
    finalize = false;
  } else if (rv != CKR_OK) {
    return ck_error("C_Initialize", rv);
  }

  std::shared_ptr<Module> module(
      new Module(key, std::move(library), functions, finalize));  // private constructor
  reg.modules[key] = module;
  return module;
}

}  // namespace seald::hsm
