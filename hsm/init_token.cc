#include "hsm/init_token.h"

#include "hsm/ck_error.h"
#include "hsm/session.h"
#include "hsm/token_locator.h"

namespace seald::hsm {
namespace {

// PKCS#11 takes PINs through non-const pointers but does not write to them.
CK_UTF8CHAR* pin_bytes(const Secret& pin) {
  return reinterpret_cast<CK_UTF8CHAR*>(const_cast<char*>(pin.reveal().data()));
}

}  // namespace

Result<InitTokenOutcome> init_token(const ModulePtr& module, std::string_view label,
                                    const Secret& so_pin, const Secret& user_pin) {
  auto padded = padded_token_label(label);
  if (!padded) {
    return padded.error();
  }
  if (so_pin.empty() || user_pin.empty()) {
    return make_error("hsm_pin_invalid", "the SO PIN and the user PIN must not be empty");
  }
  auto existing = find_token_by_label(*module, label);
  if (!existing) {
    return existing.error();
  }
  if (*existing) {
    return InitTokenOutcome::already_exists;
  }
  auto free_slot = find_uninitialized_slot(*module);
  if (!free_slot) {
    return free_slot.error();
  }
  if (!*free_slot) {
    return make_error("hsm_no_free_slot",
                      "no slot of " + module->path() + " holds an uninitialised token");
  }
  CK_FUNCTION_LIST* f = module->functions();
  CK_RV rv = f->C_InitToken(**free_slot, pin_bytes(so_pin), so_pin.size(),
                            reinterpret_cast<CK_UTF8CHAR*>(padded->data()));
  if (rv != CKR_OK) {
    return ck_error("C_InitToken", rv);
  }

  // SoftHSM moves a freshly initialised token to a new slot id: look again.
  auto slot = find_token_by_label(*module, label);
  if (!slot) {
    return slot.error();
  }
  if (!*slot) {
    return make_error("hsm_token_not_found",
                      "the token initialised as \"" + std::string(label) + "\" is not in any slot");
  }
  auto session = Session::open(module, **slot);
  if (!session) {
    return session.error();
  }
  rv = f->C_Login(session->handle(), CKU_SO, pin_bytes(so_pin), so_pin.size());
  if (rv != CKR_OK) {
    return ck_error("C_Login", rv);
  }
  rv = f->C_InitPIN(session->handle(), pin_bytes(user_pin), user_pin.size());
  CK_RV logout_rv = f->C_Logout(session->handle());
  if (rv != CKR_OK) {
    return ck_error("C_InitPIN", rv);
  }
  if (logout_rv != CKR_OK) {
    return ck_error("C_Logout", logout_rv);
  }
  return InitTokenOutcome::created;
}

}  // namespace seald::hsm
