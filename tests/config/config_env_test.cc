#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.h"
#include "tests/config/config_test_util.h"

namespace seald::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ConfigEnv, EveryVariableOverridesItsKey) {
  const Environment env = {
      {"SEALD_SERVER_LISTEN", "0.0.0.0:9000"},
      {"SEALD_SERVER_IO_THREADS", "2"},
      {"SEALD_SERVER_BODY_LIMIT", "4096"},
      {"SEALD_SERVER_HEADER_LIMIT", "8192"},
      {"SEALD_SERVER_HEADER_TIMEOUT_MS", "11"},
      {"SEALD_SERVER_READ_TIMEOUT_MS", "12"},
      {"SEALD_SERVER_IDLE_TIMEOUT_MS", "13"},
      {"SEALD_SERVER_SHUTDOWN_GRACE_MS", "14"},
      {"SEALD_HSM_MODULE", "/opt/libhsm.so"},
      {"SEALD_HSM_TOKEN_LABEL", "env-label"},
      {"SEALD_HSM_TOKEN_URI", ""},
      {"SEALD_HSM_PIN_FILE", "/run/pin"},
      {"SEALD_HSM_PIN_ENV", "OTHER_PIN"},
      {"SEALD_REDIS_HOST", "10.0.0.5"},
      {"SEALD_REDIS_PORT", "6400"},
      {"SEALD_REDIS_PASSWORD_FILE", "/run/redis-password"},
      {"SEALD_REDIS_CONNECT_TIMEOUT_MS", "21"},
      {"SEALD_REDIS_COMMAND_TIMEOUT_MS", "22"},
      {"SEALD_REDIS_POOL_SIZE", "23"},
      {"SEALD_REDIS_DURABILITY", "wait"},
      {"SEALD_REDIS_WAIT_REPLICAS", "3"},
      {"SEALD_REDIS_WAIT_TIMEOUT_MS", "24"},
      {"SEALD_SIGNING_MAX_HASHES", "31"},
      {"SEALD_SIGNING_TOKEN_TTL_S", "32"},
      {"SEALD_SIGNING_RSA_SCHEME", "pss"},
      {"SEALD_SIGNING_RESYNC_INTERVAL_MS", "3300"},
      {"SEALD_SIGNING_WORKERS", "34"},
      {"SEALD_SIGNING_RATE_PER_S", "35"},
      {"SEALD_SIGNING_BURST", "36"},
      {"SEALD_LOG_LEVEL", "warn"},
      {"SEALD_LOG_FILE", "/tmp/seald.log"},
      {"SEALD_DATA_DIR", "/data"},
  };
  // A new setting must get a row above.
  std::set<std::string> documented;
  for (const SettingName& s : setting_names()) {
    documented.insert(s.env);
  }
  std::set<std::string> tested;
  for (const auto& [name, value] : env) {
    tested.insert(name);
  }
  EXPECT_EQ(tested, documented);

  Result<Config> config = parse("[server]\nio_threads = 7\n[hsm]\ntoken_label = \"file\"\n", env);
  ASSERT_TRUE(config) << error_of(config);
  Config expected;
  expected.server = {"0.0.0.0:9000", 2, 4096, 8192, 11, 12, 13, 14};
  expected.hsm = {"/opt/libhsm.so", "env-label", "", "/run/pin", "OTHER_PIN"};
  expected.redis = {"10.0.0.5", 6400, "/run/redis-password", 21, 22, 23, "wait", 3, 24};
  expected.signing = {31, 32, "pss", 3300, 34, 35, 36};
  expected.log = {"warn", "/tmp/seald.log"};
  expected.data_dir = "/data";
  expect_same_config(*config, expected);
}

TEST(ConfigEnv, ListenAndDataDirShortcuts) {
  Result<Config> config = parse("data_dir = \"/file\"\n[server]\nlisten = \"127.0.0.1:1\"\n",
                                {{"SEALD_LISTEN", "[::]:8443"}, {"SEALD_DATA_DIR", "/env"}});
  ASSERT_TRUE(config) << error_of(config);
  EXPECT_EQ(config->server.listen, "[::]:8443");
  EXPECT_EQ(config->data_dir, "/env");

  config = parse("", {{"SEALD_LISTEN", "[::]:8443"}, {"SEALD_SERVER_LISTEN", "[::]:8443"}});
  ASSERT_TRUE(config) << error_of(config);

  config = parse("", {{"SEALD_LISTEN", "[::]:8443"}, {"SEALD_SERVER_LISTEN", "[::]:9443"}});
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("SEALD_LISTEN and SEALD_SERVER_LISTEN"));
}

TEST(ConfigEnv, OverridesApplyBeforeValidation) {
  // A bad file value replaced from the environment is never seen.
  Result<Config> config = parse("[redis]\nport = 0\n", {{"SEALD_REDIS_PORT", "6380"}});
  ASSERT_TRUE(config) << error_of(config);
  EXPECT_EQ(config->redis.port, 6380);

  // An override that makes the config invalid is blamed on the variable.
  config = parse("", {{"SEALD_REDIS_DURABILITY", "never"}});
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("SEALD_REDIS_DURABILITY: redis.durability"));
}

TEST(ConfigEnv, BadValueNamesTheVariableNotTheValue) {
  for (const char* port : {"70000", "0", "-1", "abc", "", "63 79", "0x10"}) {
    Result<Config> config = parse("", {{"SEALD_REDIS_PORT", port}});
    ASSERT_FALSE(config) << port;
    EXPECT_EQ(config.error().code, "config_invalid");
    EXPECT_THAT(config.error().message,
                HasSubstr("SEALD_REDIS_PORT: redis.port must be an integer from 1 to 65535"));
  }
  Result<Config> config = parse("", {{"SEALD_SERVER_IO_THREADS", "99999999999999999999999"}});
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("SEALD_SERVER_IO_THREADS: server.io_threads"));

  config = parse("", {{"SEALD_LISTEN", "no-port-here"}});
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("SEALD_LISTEN: server.listen must be"));
  EXPECT_THAT(config.error().message, Not(HasSubstr("no-port-here")));
}

TEST(ConfigEnv, UnknownSealdVariableIsAnError) {
  Result<Config> config = parse("", {{"SEALD_SERVER_IO_THREAD", "4"}, {"PATH", "/usr/bin"}});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "config_unknown_env");
  EXPECT_THAT(config.error().message, HasSubstr("SEALD_SERVER_IO_THREAD: not a seald setting"));
  EXPECT_THAT(config.error().message, Not(HasSubstr("PATH")));
}

TEST(ConfigEnv, SecretLookingVariableGetsAHintButNotItsValue) {
  Result<Config> config = parse("", {{"SEALD_REDIS_PASSWORD", "hunter2"}});
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("SEALD_REDIS_PASSWORD"));
  EXPECT_THAT(config.error().message, HasSubstr("redis.password_file"));
  EXPECT_THAT(config.error().message, Not(HasSubstr("hunter2")));
}

TEST(ConfigEnv, NonSettingVariablesAreAllowed) {
  Result<Config> config =
      parse("", {{"SEALD_CONFIG", "/etc/seald.toml"}, {"SEALD_HSM_PIN", "1234"}});
  ASSERT_TRUE(config) << error_of(config);

  // The variable hsm.pin_env names is a secret, not a typo: from the file...
  config = parse("[hsm]\npin_env = \"SEALD_PROD_PIN\"\n", {{"SEALD_PROD_PIN", "1234"}});
  ASSERT_TRUE(config) << error_of(config);
  // ...or from the environment itself.
  config = parse("", {{"SEALD_HSM_PIN_ENV", "SEALD_PROD_PIN"}, {"SEALD_PROD_PIN", "1234"}});
  ASSERT_TRUE(config) << error_of(config);
  EXPECT_EQ(config->hsm.pin_env, "SEALD_PROD_PIN");
}

TEST(ConfigEnv, PinVariableMustNotBeASetting) {
  Result<Config> config =
      parse("", {{"SEALD_HSM_PIN_ENV", "SEALD_REDIS_PORT"}, {"SEALD_REDIS_PORT", "98x76"}});
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("SEALD_HSM_PIN_ENV: hsm.pin_env names"));
  EXPECT_THAT(config.error().message, Not(HasSubstr("98x76")));
}

TEST(ConfigEnv, TokenUriFromEnvironmentTakesPrecedence) {
  Result<Config> config =
      parse("[hsm]\ntoken_label = \"file\"\n", {{"SEALD_HSM_TOKEN_URI", "pkcs11:token=env"}});
  ASSERT_TRUE(config) << error_of(config);
  EXPECT_EQ(config->hsm.token_uri, "pkcs11:token=env");
  EXPECT_EQ(config->hsm.token_label, "");
}

TEST(ConfigEnv, ProcessEnvironmentKeepsOnlySealdSettings) {
  ScopedEnv level("SEALD_LOG_LEVEL", "debug");
  ScopedEnv config_path("SEALD_CONFIG", "/etc/seald/seald.toml");
  ScopedEnv pin("SEALD_HSM_PIN", "s3cret-pin");
  ScopedEnv typo("SEALD_LOG_LEVLE", "debug");
  ScopedEnv other("NOT_SEALD_LOG_LEVEL", "x");
  Environment env = process_environment();
  EXPECT_EQ(env["SEALD_LOG_LEVEL"], "debug");
  EXPECT_EQ(env["SEALD_CONFIG"], "/etc/seald/seald.toml");
  // Present, so it can be recognised, but its value stays in the environment.
  ASSERT_EQ(env.count("SEALD_HSM_PIN"), 1u);
  EXPECT_EQ(env["SEALD_HSM_PIN"], "");
  ASSERT_EQ(env.count("SEALD_LOG_LEVLE"), 1u);
  EXPECT_EQ(env.count("NOT_SEALD_LOG_LEVEL"), 0u);
  for (const auto& [name, value] : env) {
    EXPECT_TRUE(name.starts_with("SEALD_")) << name;
    EXPECT_THAT(value, Not(HasSubstr("s3cret-pin")));
  }

  Result<Config> loaded = load_config("", env);
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().message, HasSubstr("SEALD_LOG_LEVLE"));
}

}  // namespace
}  // namespace seald::testing
