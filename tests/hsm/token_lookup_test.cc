// Operators name the token by label or by PKCS#11 URI; a name that matches
// nothing, or a module that is not there, says so plainly.

#include <gtest/gtest.h>

#include "tests/hsm/test_util.h"

namespace seald::hsm {
namespace {

TEST(TokenLookup, FoundByUri) {
  const auto& hsm = test::softhsm();
  auto token = Token::open(hsm.module(), TokenSelector::by_uri(hsm.uri()), hsm.pin_source());
  ASSERT_TRUE(token) << token.error().code << ": " << token.error().message;
  EXPECT_TRUE((*token)->check());
}

TEST(TokenLookup, FoundByUriWithSeveralAttributes) {
  const auto& hsm = test::softhsm();
  std::string uri = "pkcs11:manufacturer=SoftHSM%20project;token=" + hsm.label();
  auto token = Token::open(hsm.module(), TokenSelector::by_uri(uri), hsm.pin_source());
  ASSERT_TRUE(token) << token.error().code << ": " << token.error().message;
}

TEST(TokenLookup, UriMatchingNothingIsAClearError) {
  const auto& hsm = test::softhsm();
  auto token = Token::open(hsm.module(), TokenSelector::by_uri("pkcs11:token=no-such-token"),
                           hsm.pin_source());
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, "hsm_token_not_found");
  EXPECT_NE(token.error().message.find("pkcs11:token=no-such-token"), std::string::npos)
      << token.error().message;
}

TEST(TokenLookup, MalformedUriIsRejected) {
  const auto& hsm = test::softhsm();
  auto token =
      Token::open(hsm.module(), TokenSelector::by_uri("https://example.org/"), hsm.pin_source());
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, "hsm_uri_invalid");
}

TEST(TokenLookup, UriCarryingAPinIsRejectedWithoutEchoingIt) {
  const auto& hsm = test::softhsm();
  auto token = Token::open(
      hsm.module(), TokenSelector::by_uri("pkcs11:token=" + hsm.label() + "?pin-value=s3cr3t99"),
      hsm.pin_source());
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, "hsm_uri_invalid");
  EXPECT_EQ(token.error().message.find("s3cr3t99"), std::string::npos) << token.error().message;
}

TEST(TokenLookup, UnknownLabelIsAClearError) {
  const auto& hsm = test::softhsm();
  auto token =
      Token::open(hsm.module(), TokenSelector::by_label("no-such-label"), hsm.pin_source());
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().code, "hsm_token_not_found");
  EXPECT_NE(token.error().message.find("no-such-label"), std::string::npos);
}

TEST(ModuleLoad, MissingLibraryIsAClearError) {
  auto module = Module::load("/nonexistent/libpkcs11.so");
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().code, "hsm_module_load_failed");
  EXPECT_NE(module.error().message.find("/nonexistent/libpkcs11.so"), std::string::npos);
}

TEST(ModuleLoad, LibraryWithoutPkcs11IsRejected) {
  auto module = Module::load("libz.so.1");
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().code, "hsm_module_load_failed");
  EXPECT_NE(module.error().message.find("C_GetFunctionList"), std::string::npos);
}

TEST(ModuleLoad, SameLibraryLoadedTwiceIsOneModule) {
  const auto& hsm = test::softhsm();
  auto again = Module::load(hsm.module_path());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->get(), hsm.module().get());
}

}  // namespace
}  // namespace seald::hsm
