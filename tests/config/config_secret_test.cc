#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.h"
#include "tests/config/config_test_util.h"
#include "tests/support/temp_dir.h"

namespace seald::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kPin = "7391-secret-pin";
constexpr const char* kUnsetVar = "SEALD_TEST_PIN_THAT_IS_NOT_SET";

TEST(ConfigSecret, PinFromA0600File) {
  TempDir dir;
  write_file(dir.file("pin"), std::string(kPin) + "\n", 0600);
  HsmConfig hsm;
  hsm.pin_file = dir.file("pin");
  Result<Secret> pin = load_hsm_pin(hsm);
  ASSERT_TRUE(pin) << pin.error().message;
  EXPECT_EQ(pin->reveal(), kPin);
}

TEST(ConfigSecret, PinFileReadableByOthersIsRefused) {
  TempDir dir;
  write_file(dir.file("pin"), kPin, 0644);
  HsmConfig hsm;
  hsm.pin_file = dir.file("pin");
  Result<Secret> pin = load_hsm_pin(hsm);
  ASSERT_FALSE(pin);
  EXPECT_EQ(pin.error().code, "secret_file_mode");
  EXPECT_THAT(pin.error().message, HasSubstr(dir.file("pin")));
  EXPECT_THAT(pin.error().message, HasSubstr("hsm.pin_file"));
  EXPECT_THAT(pin.error().message, Not(HasSubstr(kPin)));
}

TEST(ConfigSecret, PinFromTheEnvironment) {
  ScopedEnv env("SEALD_TEST_PIN_FROM_ENV", kPin);
  HsmConfig hsm;
  hsm.pin_env = "SEALD_TEST_PIN_FROM_ENV";
  Result<Secret> pin = load_hsm_pin(hsm);
  ASSERT_TRUE(pin) << pin.error().message;
  EXPECT_EQ(pin->reveal(), kPin);
}

TEST(ConfigSecret, PinFileWinsOverTheEnvironment) {
  TempDir dir;
  write_file(dir.file("pin"), "from-file", 0600);
  ScopedEnv env("SEALD_TEST_PIN_FROM_ENV", "from-env");
  HsmConfig hsm;
  hsm.pin_file = dir.file("pin");
  hsm.pin_env = "SEALD_TEST_PIN_FROM_ENV";
  Result<Secret> pin = load_hsm_pin(hsm);
  ASSERT_TRUE(pin) << pin.error().message;
  EXPECT_EQ(pin->reveal(), "from-file");
}

TEST(ConfigSecret, MissingPinFileNamesTheFileNeverThePin) {
  TempDir dir;
  // The PIN is in the environment, but pin_file says to look elsewhere.
  ScopedEnv env("SEALD_HSM_PIN", kPin);
  HsmConfig hsm;
  hsm.pin_file = dir.file("no-such-pin");
  Result<Secret> pin = load_hsm_pin(hsm);
  ASSERT_FALSE(pin);
  EXPECT_THAT(pin.error().message, HasSubstr(dir.file("no-such-pin")));
  EXPECT_THAT(pin.error().message, Not(HasSubstr(kPin)));
}

TEST(ConfigSecret, MissingPinVariableNamesTheVariable) {
  ScopedEnv unset(kUnsetVar, std::nullopt);
  HsmConfig hsm;
  hsm.pin_env = kUnsetVar;
  Result<Secret> pin = load_hsm_pin(hsm);
  ASSERT_FALSE(pin);
  EXPECT_THAT(pin.error().message, HasSubstr(kUnsetVar));
  EXPECT_THAT(pin.error().message, HasSubstr("hsm.pin_env"));

  ScopedEnv empty(kUnsetVar, "");
  pin = load_hsm_pin(hsm);
  ASSERT_FALSE(pin);
  EXPECT_THAT(pin.error().message, HasSubstr(kUnsetVar));
}

TEST(ConfigSecret, EmptyPinFileIsRefused) {
  TempDir dir;
  write_file(dir.file("pin"), "\n", 0600);
  HsmConfig hsm;
  hsm.pin_file = dir.file("pin");
  Result<Secret> pin = load_hsm_pin(hsm);
  ASSERT_FALSE(pin);
  EXPECT_THAT(pin.error().message, HasSubstr(dir.file("pin")));
}

TEST(ConfigSecret, NoPinSourceIsAnError) {
  HsmConfig hsm;
  hsm.pin_env.clear();
  Result<Secret> pin = load_hsm_pin(hsm);
  ASSERT_FALSE(pin);
  EXPECT_THAT(pin.error().message, HasSubstr("hsm.pin_file"));
}

TEST(ConfigSecret, RedisPasswordIsOptional) {
  Result<std::optional<Secret>> password = load_redis_password(RedisConfig{});
  ASSERT_TRUE(password) << password.error().message;
  EXPECT_FALSE(password->has_value());
}

TEST(ConfigSecret, RedisPasswordFromA0600File) {
  TempDir dir;
  write_file(dir.file("redis"), "redis-pass\n", 0600);
  RedisConfig redis;
  redis.password_file = dir.file("redis");
  Result<std::optional<Secret>> password = load_redis_password(redis);
  ASSERT_TRUE(password) << password.error().message;
  ASSERT_TRUE(password->has_value());
  EXPECT_EQ((*password)->reveal(), "redis-pass");

  write_file(dir.file("redis"), "redis-pass\n", 0640);
  password = load_redis_password(redis);
  ASSERT_FALSE(password);
  EXPECT_THAT(password.error().message, HasSubstr("redis.password_file"));
  EXPECT_THAT(password.error().message, Not(HasSubstr("redis-pass")));
}

}  // namespace
}  // namespace seald::testing
