// The example file is the configuration's documentation; these tests keep it
// from drifting away from the code.

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include "config/config.h"
#include "tests/config/config_test_util.h"
#include "tests/support/temp_dir.h"

namespace seald::testing {
namespace {

TEST(ConfigExample, YieldsExactlyTheDefaults) {
  Result<Config> config = load_config(SEALD_EXAMPLE_CONFIG, {});
  ASSERT_TRUE(config) << error_of(config);
  expect_same_config(*config, Config{});
}

TEST(ConfigExample, SpellsOutEveryKeyAndItsVariable) {
  const std::string text = read_file(SEALD_EXAMPLE_CONFIG);
  toml::table table = toml::parse(text);
  for (const SettingName& setting : setting_names()) {
    EXPECT_TRUE(table.at_path(setting.key)) << setting.key << " is missing from the example";
    EXPECT_THAT(text, ::testing::HasSubstr("Env: " + setting.env))
        << setting.env << " is not documented in the example";
  }
  EXPECT_THAT(text, ::testing::HasSubstr("SEALD_LISTEN"));
}

}  // namespace
}  // namespace seald::testing
