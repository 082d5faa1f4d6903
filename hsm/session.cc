#include "hsm/session.h"

#include <utility>

#include "hsm/ck_error.h"

namespace seald::hsm {

Result<Session> Session::open(ModulePtr module, CK_SLOT_ID slot) {
  CK_SESSION_HANDLE handle = CK_INVALID_HANDLE;
  CK_RV rv = module->functions()->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr,
                                                nullptr, &handle);
  if (rv != CKR_OK) {
    return ck_error("C_OpenSession", rv);
  }
  return Session(std::move(module), handle);
}

Session::Session(Session&& other) noexcept
    : module_(std::move(other.module_)), handle_(std::exchange(other.handle_, CK_INVALID_HANDLE)) {}

Session& Session::operator=(Session&& other) noexcept {
  if (this != &other) {
    close();
    module_ = std::move(other.module_);
    handle_ = std::exchange(other.handle_, CK_INVALID_HANDLE);
  }
  return *this;
}

Session::~Session() {
  close();
}

void Session::close() noexcept {
  if (handle_ != CK_INVALID_HANDLE && module_) {
    // Nothing to do about a failure here; the session is gone either way.
    module_->functions()->C_CloseSession(handle_);
  }
  handle_ = CK_INVALID_HANDLE;
}

Result<bool> Session::logged_in_as_user() const {
  CK_SESSION_INFO info{};
  CK_RV rv = functions()->C_GetSessionInfo(handle_, &info);
  if (rv != CKR_OK) {
    return ck_error("C_GetSessionInfo", rv);
  }
  return info.state == CKS_RO_USER_FUNCTIONS || info.state == CKS_RW_USER_FUNCTIONS;
}

Status Session::login_user(const Secret& pin) const {
  std::string_view value = pin.reveal();
  // PKCS#11 takes a non-const pointer but does not write through it.
  CK_RV rv = functions()->C_Login(handle_, CKU_USER,
                                  reinterpret_cast<CK_UTF8CHAR*>(const_cast<char*>(value.data())),
                                  value.size());
  if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
    return ck_error("C_Login", rv);
  }
  return {};
}

}  // namespace seald::hsm
