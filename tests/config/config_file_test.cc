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

TEST(ConfigFile, EmptyPathGivesDefaults) {
  Result<Config> config = load_config("", {});
  ASSERT_TRUE(config) << error_of(config);
  expect_same_config(*config, Config{});
}

TEST(ConfigFile, EmptyTextGivesDefaults) {
  Result<Config> config = parse("");
  ASSERT_TRUE(config) << error_of(config);
  expect_same_config(*config, Config{});
}

TEST(ConfigFile, FullFileSetsEveryKey) {
  Result<Config> config = parse(R"(
data_dir = "/srv/seald"

[server]
listen = "[::1]:8443"
io_threads = 4
body_limit = 2048
header_limit = 4096
header_timeout_ms = 1
read_timeout_ms = 2
idle_timeout_ms = 3
shutdown_grace_ms = 0

[hsm]
module = "/opt/hsm/libvendor.so"
token_label = "prod"
pin_file = "/etc/seald/pin"
pin_env = "MY_PIN"

[redis]
host = "redis.internal"
port = 6380
password_file = "/etc/seald/redis-password"
connect_timeout_ms = 100
command_timeout_ms = 200
pool_size = 16
durability = "wait"
wait_replicas = 2
wait_timeout_ms = 300

[log]
level = "debug"
file = "/var/log/seald.log"
)");
  ASSERT_TRUE(config) << error_of(config);
  EXPECT_EQ(config->data_dir, "/srv/seald");
  EXPECT_EQ(config->server.listen, "[::1]:8443");
  EXPECT_EQ(config->server.io_threads, 4u);
  EXPECT_EQ(config->server.body_limit, 2048u);
  EXPECT_EQ(config->server.header_limit, 4096u);
  EXPECT_EQ(config->server.header_timeout_ms, 1u);
  EXPECT_EQ(config->server.read_timeout_ms, 2u);
  EXPECT_EQ(config->server.idle_timeout_ms, 3u);
  EXPECT_EQ(config->server.shutdown_grace_ms, 0u);
  EXPECT_EQ(config->hsm.module, "/opt/hsm/libvendor.so");
  EXPECT_EQ(config->hsm.token_label, "prod");
  EXPECT_EQ(config->hsm.token_uri, "");
  EXPECT_EQ(config->hsm.pin_file, "/etc/seald/pin");
  EXPECT_EQ(config->hsm.pin_env, "MY_PIN");
  EXPECT_EQ(config->redis.host, "redis.internal");
  EXPECT_EQ(config->redis.port, 6380);
  EXPECT_EQ(config->redis.password_file, "/etc/seald/redis-password");
  EXPECT_EQ(config->redis.connect_timeout_ms, 100u);
  EXPECT_EQ(config->redis.command_timeout_ms, 200u);
  EXPECT_EQ(config->redis.pool_size, 16u);
  EXPECT_EQ(config->redis.durability, "wait");
  EXPECT_EQ(config->redis.wait_replicas, 2u);
  EXPECT_EQ(config->redis.wait_timeout_ms, 300u);
  EXPECT_EQ(config->log.level, "debug");
  EXPECT_EQ(config->log.file, "/var/log/seald.log");
}

TEST(ConfigFile, DottedKeysAndInlineTablesWork) {
  Result<Config> config = parse("server.io_threads = 3\nredis = { port = 7000 }\n");
  ASSERT_TRUE(config) << error_of(config);
  EXPECT_EQ(config->server.io_threads, 3u);
  EXPECT_EQ(config->redis.port, 7000);
}

TEST(ConfigFile, UnknownKeyNamesKeyAndLine) {
  Result<Config> config = parse("[server]\nlisten = \"127.0.0.1:1\"\nbody_limt = 5\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "config_unknown_key");
  EXPECT_THAT(config.error().message, HasSubstr("seald.toml:3: unknown key server.body_limt"));
}

TEST(ConfigFile, UnknownTopLevelKeyAndTables) {
  Result<Config> config = parse("datadir = \"x\"\n[server.tls]\ncert = \"c\"\n[metrics]\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("seald.toml:1: unknown key datadir"));
  EXPECT_THAT(config.error().message, HasSubstr("seald.toml:2: unknown table server.tls"));
  EXPECT_THAT(config.error().message, HasSubstr("seald.toml:4: unknown table metrics"));
}

TEST(ConfigFile, WrongTypeNamesKeyAndLine) {
  Result<Config> config = parse("\n[server]\nbody_limit = \"1MB\"\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "config_type");
  EXPECT_THAT(config.error().message,
              HasSubstr("seald.toml:3: server.body_limit must be an integer, not a string"));

  config = parse("[hsm]\nmodule = 5\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message,
              HasSubstr("seald.toml:2: hsm.module must be a string, not an integer"));

  config = parse("server = 5\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("seald.toml:1: server must be a table"));

  config = parse("[redis]\npool_size = 1.5\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("seald.toml:2: redis.pool_size"));
}

TEST(ConfigFile, IntegerOutsideItsTypeNamesKeyAndLine) {
  Result<Config> config = parse("[server]\nio_threads = -1\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("seald.toml:2: server.io_threads"));

  config = parse("[redis]\nport = 70000\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message,
              HasSubstr("seald.toml:2: redis.port must be an integer from 1 to 65535"));
}

TEST(ConfigFile, SyntaxErrorGivesLineAndColumn) {
  Result<Config> config = parse("[server]\nio_threads = 4\nlisten = \n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "config_syntax");
  EXPECT_THAT(config.error().message, HasSubstr("seald.toml:3:"));
  EXPECT_THAT(config.error().message, HasSubstr("syntax error"));
}

TEST(ConfigFile, SyntaxErrorOnSecretLineWithholdsDetails) {
  Result<Config> config = parse("[hsm]\npin = 1234abcd\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "config_syntax");
  EXPECT_THAT(config.error().message, HasSubstr("seald.toml:2:"));
  EXPECT_THAT(config.error().message, HasSubstr("withheld"));
  EXPECT_THAT(config.error().message, Not(HasSubstr("'a'")));
}

TEST(ConfigFile, SecretLookingKeysAreRejectedWithAHint) {
  for (const char* key : {"pin", "so_pin", "password", "secret", "token", "user_pin"}) {
    for (const char* section : {"hsm", "redis", "server"}) {
      std::string text = std::string("[") + section + "]\n" + key + " = \"hunter2\"\n";
      Result<Config> config = parse(text);
      ASSERT_FALSE(config) << text;
      EXPECT_EQ(config.error().code, "config_secret_in_file") << text;
      EXPECT_THAT(config.error().message,
                  HasSubstr(std::string("seald.toml:2: ") + section + "." + key));
      EXPECT_THAT(config.error().message, HasSubstr("never go in the config file"));
      EXPECT_THAT(
          config.error().message,
          HasSubstr(std::string(section) == "redis" ? "redis.password_file" : "hsm.pin_file"));
      EXPECT_THAT(config.error().message, Not(HasSubstr("hunter2")));
    }
  }
  Result<Config> config = parse("password = \"hunter2\"\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "config_secret_in_file");
}

TEST(ConfigFile, RangeChecksNameKeyAndLine) {
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"[server]\nio_threads = 1025\n", "seald.toml:2: server.io_threads"},
      {"[server]\nbody_limit = 1023\n", "seald.toml:2: server.body_limit"},
      {"[server]\nheader_timeout_ms = 0\n", "seald.toml:2: server.header_timeout_ms"},
      {"[server]\nread_timeout_ms = 0\n", "seald.toml:2: server.read_timeout_ms"},
      {"[server]\nidle_timeout_ms = 0\n", "seald.toml:2: server.idle_timeout_ms"},
      {"[redis]\nport = 0\n", "seald.toml:2: redis.port must be an integer from 1 to 65535"},
      {"[redis]\nconnect_timeout_ms = 0\n", "seald.toml:2: redis.connect_timeout_ms"},
      {"[redis]\ncommand_timeout_ms = 0\n", "seald.toml:2: redis.command_timeout_ms"},
      {"[redis]\npool_size = 0\n", "seald.toml:2: redis.pool_size"},
      {"[redis]\nwait_replicas = 0\n", "seald.toml:2: redis.wait_replicas"},
      {"[redis]\nwait_timeout_ms = 0\n", "seald.toml:2: redis.wait_timeout_ms"},
      {"[redis]\ndurability = \"fsync\"\n", "seald.toml:2: redis.durability must be"},
      {"[redis]\nhost = \"\"\n", "seald.toml:2: redis.host must not be empty"},
      {"[log]\nlevel = \"verbose\"\n", "seald.toml:2: log.level must be one of"},
      {"[hsm]\nmodule = \"\"\n", "seald.toml:2: hsm.module must not be empty"},
      {"[hsm]\npin_env = \"MY PIN\"\n", "seald.toml:2: hsm.pin_env"},
      {"data_dir = \"\"\n", "seald.toml:1: data_dir must not be empty"},
      {"[signing]\nburst = 0\n", "seald.toml:2: signing.burst must be an integer from 1"},
      {"[signing]\nrate_per_s = 1000001\n", "seald.toml:2: signing.rate_per_s"},
  };
  for (const Case& c : cases) {
    Result<Config> config = parse(c.text);
    ASSERT_FALSE(config) << c.text;
    EXPECT_EQ(config.error().code, "config_invalid") << c.text;
    EXPECT_THAT(config.error().message, HasSubstr(c.expected));
  }
}

TEST(ConfigFile, AllProblemsAreReportedInFileOrder) {
  Result<Config> config = parse("[server]\nzzz = 1\naaa = 2\n");
  ASSERT_FALSE(config);
  std::string message = config.error().message;
  EXPECT_LT(message.find("seald.toml:2: unknown key server.zzz"),
            message.find("seald.toml:3: unknown key server.aaa"));
  EXPECT_NE(message.find("seald.toml:3:"), std::string::npos);
}

TEST(ConfigFile, BadListenIsRejected) {
  for (const char* listen : {"127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:0", "127.0.0.1:65536",
                             "::1:8080", "[::1]", "[::1]8080", "[]:8080", "[::1]:http",
                             "host name:80", "127.0.0.1:+80", "[fe80::1%]:80", "[nothex:zz]:80"}) {
    std::string text = std::string("[server]\nlisten = \"") + listen + "\"\n";
    Result<Config> config = parse(text);
    ASSERT_FALSE(config) << listen;
    EXPECT_THAT(config.error().message, HasSubstr("seald.toml:2: server.listen must be"));
  }
}

TEST(ConfigFile, ListenAddressParses) {
  struct Case {
    const char* listen;
    const char* host;
    std::uint16_t port;
  };
  for (const Case& c : {Case{"127.0.0.1:8080", "127.0.0.1", 8080}, Case{"[::1]:443", "::1", 443},
                        Case{"[::]:1", "::", 1}, Case{"0.0.0.0:65535", "0.0.0.0", 65535},
                        Case{"seal.example.gov:8443", "seal.example.gov", 8443},
                        Case{"[fe80::1%eth0]:80", "fe80::1%eth0", 80}}) {
    Result<ListenAddress> address = parse_listen_address(c.listen);
    ASSERT_TRUE(address) << c.listen;
    EXPECT_EQ(address->host, c.host);
    EXPECT_EQ(address->port, c.port);
  }
}

TEST(ConfigFile, TokenUriTakesPrecedenceOverLabel) {
  Result<Config> config =
      parse("[hsm]\ntoken_label = \"old\"\ntoken_uri = \"pkcs11:token=seald;serial=1\"\n");
  ASSERT_TRUE(config) << error_of(config);
  EXPECT_EQ(config->hsm.token_uri, "pkcs11:token=seald;serial=1");
  EXPECT_EQ(config->hsm.token_label, "");

  // The default label does not count as a second choice either.
  config = parse("[hsm]\ntoken_uri = \"pkcs11:token=other\"\n");
  ASSERT_TRUE(config) << error_of(config);
  EXPECT_EQ(config->hsm.token_label, "");
}

TEST(ConfigFile, TokenUriMustBePkcs11) {
  Result<Config> config = parse("[hsm]\ntoken_uri = \"token=seald\"\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("seald.toml:2: hsm.token_uri"));
  EXPECT_THAT(config.error().message, HasSubstr("pkcs11:"));
}

TEST(ConfigFile, SomeTokenAndSomePinSourceAreRequired) {
  Result<Config> config = parse("[hsm]\ntoken_label = \"\"\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("hsm.token_label or hsm.token_uri must be set"));

  config = parse("[hsm]\npin_env = \"\"\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("hsm.pin_file or hsm.pin_env must be set"));
}

TEST(ConfigFile, LoadConfigReadsTheFileAndNamesItInErrors) {
  TempDir dir;
  write_file(dir.file("seald.toml"), "[redis]\nport = 6390\n", 0644);
  Result<Config> config = load_config(dir.file("seald.toml"), {});
  ASSERT_TRUE(config) << error_of(config);
  EXPECT_EQ(config->redis.port, 6390);

  write_file(dir.file("bad.toml"), "[redis]\nprot = 6390\n", 0644);
  config = load_config(dir.file("bad.toml"), {});
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr(dir.file("bad.toml") + ":2: unknown key"));
}

TEST(ConfigFile, MissingOrUnusableFileNamesThePath) {
  TempDir dir;
  Result<Config> config = load_config(dir.file("nope.toml"), {});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "config_file_unreadable");
  EXPECT_THAT(config.error().message, HasSubstr(dir.file("nope.toml")));

  config = load_config(dir.path(), {});
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr(dir.path()));

  write_file(dir.file("open.toml"), "", 0666);
  config = load_config(dir.file("open.toml"), {});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, "config_file_mode");
  EXPECT_THAT(config.error().message, HasSubstr(dir.file("open.toml")));
}

TEST(ConfigFile, RateLimitDefaultsAndAZeroRateAreAccepted) {
  Result<Config> config = parse("[signing]\nrate_per_s = 0\nburst = 1\n");
  ASSERT_TRUE(config) << error_of(config);
  EXPECT_EQ(config->signing.rate_per_s, 0u);
  EXPECT_EQ(Config{}.signing.rate_per_s, 1000u);
  EXPECT_EQ(Config{}.signing.burst, 2000u);
}

TEST(ConfigFile, SettingNamesCoverEveryKey) {
  std::vector<SettingName> names = setting_names();
  ASSERT_EQ(names.size(), 32u);
  EXPECT_EQ(names.front().key, "server.listen");
  EXPECT_EQ(names.front().env, "SEALD_SERVER_LISTEN");
  EXPECT_EQ(names.back().key, "data_dir");
  EXPECT_EQ(names.back().env, "SEALD_DATA_DIR");
}

}  // namespace
}  // namespace seald::testing
