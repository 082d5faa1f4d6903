#include "hsm/ck_error.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <initializer_list>
#include <utility>

namespace seald::hsm {
namespace {

struct RvName {
  CK_RV rv;
  std::string_view name;
};

// Values are written out rather than taken from the header: p11-kit 0.24's
// pkcs11.h numbers CKR_EXCEEDED_MAX_ITERATIONS..CKR_PUBLIC_KEY_INVALID
// 0x1C0..0x1C4 while the OASIS headers (and modules built on them) use
// 0x1B5..0x1B9, and it lacks the v3.x additions. Sorted by value.
constexpr std::array kNames = {
    RvName{0x000, "CKR_OK"},
    RvName{0x001, "CKR_CANCEL"},
    RvName{0x002, "CKR_HOST_MEMORY"},
    RvName{0x003, "CKR_SLOT_ID_INVALID"},
    RvName{0x005, "CKR_GENERAL_ERROR"},
    RvName{0x006, "CKR_FUNCTION_FAILED"},
    RvName{0x007, "CKR_ARGUMENTS_BAD"},
    RvName{0x008, "CKR_NO_EVENT"},
    RvName{0x009, "CKR_NEED_TO_CREATE_THREADS"},
    RvName{0x00A, "CKR_CANT_LOCK"},
    RvName{0x010, "CKR_ATTRIBUTE_READ_ONLY"},
    RvName{0x011, "CKR_ATTRIBUTE_SENSITIVE"},
    RvName{0x012, "CKR_ATTRIBUTE_TYPE_INVALID"},
    RvName{0x013, "CKR_ATTRIBUTE_VALUE_INVALID"},
    RvName{0x01B, "CKR_ACTION_PROHIBITED"},
    RvName{0x020, "CKR_DATA_INVALID"},
    RvName{0x021, "CKR_DATA_LEN_RANGE"},
    RvName{0x030, "CKR_DEVICE_ERROR"},
    RvName{0x031, "CKR_DEVICE_MEMORY"},
    RvName{0x032, "CKR_DEVICE_REMOVED"},
    RvName{0x035, "CKR_AEAD_DECRYPT_FAILED"},
    RvName{0x040, "CKR_ENCRYPTED_DATA_INVALID"},
    RvName{0x041, "CKR_ENCRYPTED_DATA_LEN_RANGE"},
    RvName{0x050, "CKR_FUNCTION_CANCELED"},
    RvName{0x051, "CKR_FUNCTION_NOT_PARALLEL"},
    RvName{0x054, "CKR_FUNCTION_NOT_SUPPORTED"},
    RvName{0x060, "CKR_KEY_HANDLE_INVALID"},
    RvName{0x062, "CKR_KEY_SIZE_RANGE"},
    RvName{0x063, "CKR_KEY_TYPE_INCONSISTENT"},
    RvName{0x064, "CKR_KEY_NOT_NEEDED"},
    RvName{0x065, "CKR_KEY_CHANGED"},
    RvName{0x066, "CKR_KEY_NEEDED"},
    RvName{0x067, "CKR_KEY_INDIGESTIBLE"},
    RvName{0x068, "CKR_KEY_FUNCTION_NOT_PERMITTED"},
    RvName{0x069, "CKR_KEY_NOT_WRAPPABLE"},
    RvName{0x06A, "CKR_KEY_UNEXTRACTABLE"},
    RvName{0x070, "CKR_MECHANISM_INVALID"},
    RvName{0x071, "CKR_MECHANISM_PARAM_INVALID"},
    RvName{0x082, "CKR_OBJECT_HANDLE_INVALID"},
    RvName{0x090, "CKR_OPERATION_ACTIVE"},
    RvName{0x091, "CKR_OPERATION_NOT_INITIALIZED"},
    RvName{0x0A0, "CKR_PIN_INCORRECT"},
    RvName{0x0A1, "CKR_PIN_INVALID"},
    RvName{0x0A2, "CKR_PIN_LEN_RANGE"},
    RvName{0x0A3, "CKR_PIN_EXPIRED"},
    RvName{0x0A4, "CKR_PIN_LOCKED"},
    RvName{0x0B0, "CKR_SESSION_CLOSED"},
    RvName{0x0B1, "CKR_SESSION_COUNT"},
    RvName{0x0B3, "CKR_SESSION_HANDLE_INVALID"},
    RvName{0x0B4, "CKR_SESSION_PARALLEL_NOT_SUPPORTED"},
    RvName{0x0B5, "CKR_SESSION_READ_ONLY"},
    RvName{0x0B6, "CKR_SESSION_EXISTS"},
    RvName{0x0B7, "CKR_SESSION_READ_ONLY_EXISTS"},
    RvName{0x0B8, "CKR_SESSION_READ_WRITE_SO_EXISTS"},
    RvName{0x0C0, "CKR_SIGNATURE_INVALID"},
    RvName{0x0C1, "CKR_SIGNATURE_LEN_RANGE"},
    RvName{0x0D0, "CKR_TEMPLATE_INCOMPLETE"},
    RvName{0x0D1, "CKR_TEMPLATE_INCONSISTENT"},
    RvName{0x0E0, "CKR_TOKEN_NOT_PRESENT"},
    RvName{0x0E1, "CKR_TOKEN_NOT_RECOGNIZED"},
    RvName{0x0E2, "CKR_TOKEN_WRITE_PROTECTED"},
    RvName{0x0F0, "CKR_UNWRAPPING_KEY_HANDLE_INVALID"},
    RvName{0x0F1, "CKR_UNWRAPPING_KEY_SIZE_RANGE"},
    RvName{0x0F2, "CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT"},
    RvName{0x100, "CKR_USER_ALREADY_LOGGED_IN"},
    RvName{0x101, "CKR_USER_NOT_LOGGED_IN"},
    RvName{0x102, "CKR_USER_PIN_NOT_INITIALIZED"},
    RvName{0x103, "CKR_USER_TYPE_INVALID"},
    RvName{0x104, "CKR_USER_ANOTHER_ALREADY_LOGGED_IN"},
    RvName{0x105, "CKR_USER_TOO_MANY_TYPES"},
    RvName{0x110, "CKR_WRAPPED_KEY_INVALID"},
    RvName{0x112, "CKR_WRAPPED_KEY_LEN_RANGE"},
    RvName{0x113, "CKR_WRAPPING_KEY_HANDLE_INVALID"},
    RvName{0x114, "CKR_WRAPPING_KEY_SIZE_RANGE"},
    RvName{0x115, "CKR_WRAPPING_KEY_TYPE_INCONSISTENT"},
    RvName{0x120, "CKR_RANDOM_SEED_NOT_SUPPORTED"},
    RvName{0x121, "CKR_RANDOM_NO_RNG"},
    RvName{0x130, "CKR_DOMAIN_PARAMS_INVALID"},
    RvName{0x140, "CKR_CURVE_NOT_SUPPORTED"},
    RvName{0x150, "CKR_BUFFER_TOO_SMALL"},
    RvName{0x160, "CKR_SAVED_STATE_INVALID"},
    RvName{0x170, "CKR_INFORMATION_SENSITIVE"},
    RvName{0x180, "CKR_STATE_UNSAVEABLE"},
    RvName{0x190, "CKR_CRYPTOKI_NOT_INITIALIZED"},
    RvName{0x191, "CKR_CRYPTOKI_ALREADY_INITIALIZED"},
    RvName{0x1A0, "CKR_MUTEX_BAD"},
    RvName{0x1A1, "CKR_MUTEX_NOT_LOCKED"},
    RvName{0x1B0, "CKR_NEW_PIN_MODE"},
    RvName{0x1B1, "CKR_NEXT_OTP"},
    RvName{0x1B5, "CKR_EXCEEDED_MAX_ITERATIONS"},
    RvName{0x1B6, "CKR_FIPS_SELF_TEST_FAILED"},
    RvName{0x1B7, "CKR_LIBRARY_LOAD_FAILED"},
    RvName{0x1B8, "CKR_PIN_TOO_WEAK"},
    RvName{0x1B9, "CKR_PUBLIC_KEY_INVALID"},
    RvName{0x200, "CKR_FUNCTION_REJECTED"},
    RvName{0x201, "CKR_TOKEN_RESOURCE_EXCEEDED"},
    RvName{0x202, "CKR_OPERATION_CANCEL_FAILED"},
    RvName{0x203, "CKR_KEY_EXHAUSTED"},
    RvName{0x204, "CKR_PENDING"},
    RvName{0x205, "CKR_SESSION_ASYNC_NOT_SUPPORTED"},
    RvName{0x206, "CKR_SEED_RANDOM_REQUIRED"},
    RvName{0x207, "CKR_OPERATION_NOT_VALIDATED"},
    RvName{0x208, "CKR_TOKEN_NOT_INITIALIZED"},
    RvName{0x209, "CKR_PARAMETER_SET_NOT_SUPPORTED"},
};

constexpr bool sorted_by_value() {
  for (std::size_t i = 1; i < kNames.size(); ++i) {
    if (kNames[i - 1].rv >= kNames[i].rv) {
      return false;
    }
  }
  return true;
}
static_assert(sorted_by_value(), "binary search needs kNames sorted by value");

constexpr CK_RV kVendorDefined = 0x80000000UL;

// A new session, logged in again, is the cure. Device removal is here too:
// sessions die with the device, and a network HSM that reconnects (or a
// token that is plugged back) takes new ones.
constexpr std::array<CK_RV, 5> kSessionLost = {
    CKR_SESSION_HANDLE_INVALID, CKR_SESSION_CLOSED,    CKR_USER_NOT_LOGGED_IN,
    CKR_DEVICE_REMOVED,         CKR_TOKEN_NOT_PRESENT,
};

// Not the caller's fault and not fixed by changing the request. A PIN that
// stops working on re-login belongs here: the service cannot sign until an
// operator acts, which is what 503 says.
constexpr std::array<CK_RV, 23> kUnavailable = {
    CKR_HOST_MEMORY,
    CKR_SLOT_ID_INVALID,
    CKR_GENERAL_ERROR,
    CKR_FUNCTION_FAILED,
    CKR_CANT_LOCK,
    CKR_DEVICE_ERROR,
    CKR_DEVICE_MEMORY,
    CKR_DEVICE_REMOVED,
    CKR_FUNCTION_CANCELED,
    CKR_PIN_INCORRECT,
    CKR_PIN_EXPIRED,
    CKR_PIN_LOCKED,
    CKR_SESSION_CLOSED,
    CKR_SESSION_COUNT,
    CKR_SESSION_HANDLE_INVALID,
    CKR_TOKEN_NOT_PRESENT,
    CKR_TOKEN_NOT_RECOGNIZED,
    CKR_USER_NOT_LOGGED_IN,
    CKR_USER_PIN_NOT_INITIALIZED,
    CKR_CRYPTOKI_NOT_INITIALIZED,
    0x1B6,  // CKR_FIPS_SELF_TEST_FAILED
    0x1B7,  // CKR_LIBRARY_LOAD_FAILED
    0x201,  // CKR_TOKEN_RESOURCE_EXCEEDED
};

// Codes of ours (not CK_RV) that mean the same: the token vanished between
// calls or the module cannot be used.
constexpr std::array<std::string_view, 2> kUnavailableCodes = {"hsm_token_not_found",
                                                               "hsm_module_load_failed"};

template <std::size_t N>
bool code_in(const std::array<CK_RV, N>& rvs, std::string_view code) {
  // Error paths only; a handful of short strings.
  return std::any_of(rvs.begin(), rvs.end(), [&](CK_RV rv) { return ckr_code(rv) == code; });
}

}  // namespace

std::string_view ckr_name(CK_RV rv) {
  if (rv >= kVendorDefined) {
    return "CKR_VENDOR_DEFINED";
  }
  auto it = std::lower_bound(kNames.begin(), kNames.end(), rv,
                             [](const RvName& entry, CK_RV value) { return entry.rv < value; });
  if (it != kNames.end() && it->rv == rv) {
    return it->name;
  }
  return "CKR_UNKNOWN";
}

std::string ckr_code(CK_RV rv) {
  std::string_view name = ckr_name(rv);
  name.remove_prefix(4);  // "CKR_"
  std::string code = "hsm_";
  code.reserve(code.size() + name.size());
  for (char c : name) {
    code.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return code;
}

Error ck_error(std::string_view function, CK_RV rv) {
  char hex[32];
  std::snprintf(hex, sizeof hex, " (0x%08lX)", static_cast<unsigned long>(rv));
  std::string message(function);
  message += " failed: ";
  message += ckr_name(rv);
  message += hex;
  return Error{ckr_code(rv), std::move(message)};
}

bool is_session_lost(CK_RV rv) {
  return std::find(kSessionLost.begin(), kSessionLost.end(), rv) != kSessionLost.end();
}

bool is_session_lost(const Error& error) {
  return code_in(kSessionLost, error.code);
}

bool is_hsm_unavailable(CK_RV rv) {
  return std::find(kUnavailable.begin(), kUnavailable.end(), rv) != kUnavailable.end();
}

bool is_hsm_unavailable(const Error& error) {
  if (std::find(kUnavailableCodes.begin(), kUnavailableCodes.end(), error.code) !=
      kUnavailableCodes.end()) {
    return true;
  }
  return code_in(kUnavailable, error.code);
}

}  // namespace seald::hsm
