#pragma once

// CK_RV is translated into seald::Error here, once, at the edge of hsm/.
// Codes are `hsm_` + the lower-cased CKR_ name without its prefix
// (CKR_PIN_INCORRECT -> hsm_pin_incorrect); they are part of the public
// contract. Messages name the PKCS#11 function and the CKR_ name, nothing else.

#include <p11-kit/pkcs11.h>

#include <string>
#include <string_view>

#include "core/error.h"

namespace seald::hsm {

// "CKR_PIN_INCORRECT"; "CKR_VENDOR_DEFINED" for vendor values; "CKR_UNKNOWN"
// for values no standard names.
std::string_view ckr_name(CK_RV rv);

// "hsm_pin_incorrect", "hsm_vendor_defined", "hsm_unknown".
std::string ckr_code(CK_RV rv);

// Error{ckr_code(rv), "C_Login failed: CKR_PIN_INCORRECT (0x000000A0)"}.
Error ck_error(std::string_view function, CK_RV rv);

// The session, or the login every session of the process shares, is gone:
// a new session (logged in again) may succeed where this one failed.
bool is_session_lost(CK_RV rv);
bool is_session_lost(const Error& error);

// The HSM cannot serve requests now (device or token trouble, resources
// exhausted, the PIN no longer accepted). Not the caller's fault: the API
// maps these to 503 hsm_unavailable.
bool is_hsm_unavailable(CK_RV rv);
bool is_hsm_unavailable(const Error& error);

}  // namespace seald::hsm
