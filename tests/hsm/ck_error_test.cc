// PKCS#11 failures reach callers as stable codes and readable messages, and
// are sorted into "try a new session" and "HSM unavailable".

#include <gtest/gtest.h>

#include "hsm/ck_error.h"

namespace seald::hsm {
namespace {

TEST(CkError, CodeAndMessageNameTheFailure) {
  Error e = ck_error("C_Login", CKR_PIN_INCORRECT);
  EXPECT_EQ(e.code, "hsm_pin_incorrect");
  EXPECT_EQ(e.message, "C_Login failed: CKR_PIN_INCORRECT (0x000000A0)");
}

TEST(CkError, EveryStandardNameMapsToItsCode) {
  EXPECT_EQ(ckr_name(CKR_OK), "CKR_OK");
  EXPECT_EQ(ckr_code(CKR_SESSION_HANDLE_INVALID), "hsm_session_handle_invalid");
  EXPECT_EQ(ckr_code(CKR_DEVICE_REMOVED), "hsm_device_removed");
  EXPECT_EQ(ckr_code(CKR_ATTRIBUTE_SENSITIVE), "hsm_attribute_sensitive");
  EXPECT_EQ(ckr_code(CKR_CRYPTOKI_ALREADY_INITIALIZED), "hsm_cryptoki_already_initialized");
  // OASIS numbering for the v2.40 additions, and v3.x codes.
  EXPECT_EQ(ckr_name(0x1B8), "CKR_PIN_TOO_WEAK");
  EXPECT_EQ(ckr_name(0x201), "CKR_TOKEN_RESOURCE_EXCEEDED");
  EXPECT_EQ(ckr_name(0x0F0), "CKR_UNWRAPPING_KEY_HANDLE_INVALID");
}

TEST(CkError, VendorAndUnknownValuesStillGetCodes) {
  Error vendor = ck_error("C_Sign", CKR_VENDOR_DEFINED + 0x2F);
  EXPECT_EQ(vendor.code, "hsm_vendor_defined");
  EXPECT_EQ(vendor.message, "C_Sign failed: CKR_VENDOR_DEFINED (0x8000002F)");
  EXPECT_EQ(ck_error("C_Sign", 0x4).code, "hsm_unknown");
}

TEST(CkError, SessionLossIsRecognised) {
  for (CK_RV rv : {CKR_SESSION_HANDLE_INVALID, CKR_SESSION_CLOSED, CKR_USER_NOT_LOGGED_IN,
                   CKR_DEVICE_REMOVED, CKR_TOKEN_NOT_PRESENT}) {
    EXPECT_TRUE(is_session_lost(rv)) << ckr_name(rv);
    EXPECT_TRUE(is_session_lost(ck_error("C_Sign", rv))) << ckr_name(rv);
  }
  EXPECT_FALSE(is_session_lost(ck_error("C_Sign", CKR_KEY_HANDLE_INVALID)));
  EXPECT_FALSE(is_session_lost(make_error("key_not_found", "")));
}

TEST(CkError, UnavailabilityIsRecognised) {
  for (CK_RV rv : {CKR_DEVICE_ERROR, CKR_DEVICE_MEMORY, CKR_DEVICE_REMOVED, CKR_TOKEN_NOT_PRESENT,
                   CKR_GENERAL_ERROR, CKR_PIN_LOCKED, CKR_SESSION_COUNT}) {
    EXPECT_TRUE(is_hsm_unavailable(ck_error("C_Sign", rv))) << ckr_name(rv);
  }
  EXPECT_TRUE(is_hsm_unavailable(make_error("hsm_token_not_found", "")));
  for (CK_RV rv : {CKR_DATA_LEN_RANGE, CKR_KEY_TYPE_INCONSISTENT, CKR_MECHANISM_INVALID}) {
    EXPECT_FALSE(is_hsm_unavailable(ck_error("C_Sign", rv))) << ckr_name(rv);
  }
  EXPECT_FALSE(is_hsm_unavailable(make_error("hash_length_mismatch", "")));
}

}  // namespace
}  // namespace seald::hsm
