#pragma once

// One PKCS#11 session (read/write, serial), closed when the object dies. It
// keeps its module loaded for as long as it lives.

#include <p11-kit/pkcs11.h>

#include "core/error.h"
#include "core/secret.h"
#include "hsm/module.h"

namespace seald::hsm {

class Session {
 public:
  static Result<Session> open(ModulePtr module, CK_SLOT_ID slot);

  Session(Session&& other) noexcept;
  Session& operator=(Session&& other) noexcept;
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  CK_SESSION_HANDLE handle() const { return handle_; }
  CK_FUNCTION_LIST* functions() const { return module_->functions(); }

  // True when the token is logged in as user for this process (the login is
  // shared by every session of the application on that token).
  Result<bool> logged_in_as_user() const;

  // C_Login(CKU_USER). CKR_USER_ALREADY_LOGGED_IN is success: another session
  // of ours logged in first.
  Status login_user(const Secret& pin) const;

  // Forgets the handle without C_CloseSession: after the module reported it
  // invalid, the number may already belong to another thread's new session.
  void abandon() { handle_ = CK_INVALID_HANDLE; }

 private:
  Session(ModulePtr module, CK_SESSION_HANDLE handle)
      : module_(std::move(module)), handle_(handle) {}
  void close() noexcept;

  ModulePtr module_;
  CK_SESSION_HANDLE handle_ = CK_INVALID_HANDLE;
};

}  // namespace seald::hsm
