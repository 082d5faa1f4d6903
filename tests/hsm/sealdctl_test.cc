// sealdctl's hsm commands, run as an operator would: as a child process,
// PINs in 0600 files, the token in the test's SoftHSM folder.

#include <gtest/gtest.h>

#include "hsm/keys.h"
#include "tests/hsm/test_util.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace seald::hsm {
namespace {

#ifdef SEALDCTL_PATH

int sealdctl(const std::vector<std::string>& args, std::string* output) {
  std::vector<std::string> argv = {SEALDCTL_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::run_command(argv, output, test::softhsm().env());
}

class SealdctlTest : public ::testing::Test {
 protected:
  testing::TempDir dir_{"seald-ctl"};
};

TEST_F(SealdctlTest, InitTokenIsIdempotent) {
  const auto& hsm = test::softhsm();
  std::string label = test::fresh_key_id("ctl-token");
  testing::write_file(dir_.file("so.pin"), "so-pin-for-ctl\n", 0600);
  testing::write_file(dir_.file("user.pin"), "user-pin-for-ctl\n", 0600);
  std::vector<std::string> args = {"hsm", "init-token", "--module", hsm.module_path()};
  args.insert(args.end(), {"--label", label, "--so-pin-file", dir_.file("so.pin")});
  args.insert(args.end(), {"--pin-file", dir_.file("user.pin")});
  std::string output;
  ASSERT_EQ(sealdctl(args, &output), 0) << output;
  EXPECT_NE(output.find("initialised"), std::string::npos) << output;

  ASSERT_EQ(sealdctl(args, &output), 0) << output;
  EXPECT_NE(output.find("already exists"), std::string::npos) << output;

  // The new token takes its user PIN.
  ASSERT_EQ(sealdctl({"hsm", "list-keys", "--module", hsm.module_path(), "--label", label,
                      "--pin-file", dir_.file("user.pin")},
                     &output),
            0)
      << output;
  EXPECT_NE(output.find("no keys"), std::string::npos) << output;
}

TEST_F(SealdctlTest, PinFileOthersCanReadIsRefused) {
  const auto& hsm = test::softhsm();
  testing::write_file(dir_.file("so.pin"), "so-pin-visible-1234\n", 0644);
  testing::write_file(dir_.file("user.pin"), "user-pin-for-ctl\n", 0600);
  std::string output;
  EXPECT_EQ(sealdctl({"hsm", "init-token", "--module", hsm.module_path(), "--label",
                      test::fresh_key_id("ctl-mode"), "--so-pin-file", dir_.file("so.pin"),
                      "--pin-file", dir_.file("user.pin")},
                     &output),
            1);
  EXPECT_NE(output.find("chmod 600"), std::string::npos) << output;
  EXPECT_EQ(output.find("so-pin-visible-1234"), std::string::npos) << output;
}

TEST_F(SealdctlTest, ListKeysShowsKeysMadeThroughTheLibrary) {
  const auto& hsm = test::softhsm();
  auto token = test::open_test_token();
  std::string key_id = test::fresh_key_id("ctl-key");
  ASSERT_TRUE(generate_key_pair(*token, KeyAlgorithm::ec_p256, key_id, "contract seal"));

  for (const auto& how : {std::vector<std::string>{"--label", hsm.label()},
                          std::vector<std::string>{"--uri", hsm.uri()}}) {
    std::vector<std::string> args = {"hsm", "list-keys", "--module", hsm.module_path()};
    args.insert(args.end(), {"--pin-file", hsm.pin_file()});
    args.insert(args.end(), how.begin(), how.end());
    std::string output;
    ASSERT_EQ(sealdctl(args, &output), 0) << output;
    EXPECT_NE(output.find(key_id), std::string::npos) << output;
    EXPECT_NE(output.find("ec-p256"), std::string::npos) << output;
    EXPECT_NE(output.find("contract seal"), std::string::npos) << output;
  }
}

TEST_F(SealdctlTest, WrongPinIsNamedNotShown) {
  const auto& hsm = test::softhsm();
  testing::write_file(dir_.file("wrong.pin"), "not-the-pin-5521\n", 0600);
  std::string output;
  EXPECT_EQ(sealdctl({"hsm", "list-keys", "--module", hsm.module_path(), "--label", hsm.label(),
                      "--pin-file", dir_.file("wrong.pin")},
                     &output),
            1);
  EXPECT_NE(output.find("hsm_pin_incorrect"), std::string::npos) << output;
  EXPECT_EQ(output.find("not-the-pin-5521"), std::string::npos) << output;
}

TEST_F(SealdctlTest, BadCommandLineShowsUsage) {
  std::string output;
  EXPECT_EQ(sealdctl({"hsm", "list-keys", "--pin", "1234"}, &output), 2);
  EXPECT_NE(output.find("Usage: sealdctl hsm list-keys"), std::string::npos) << output;
  EXPECT_NE(output.find("unknown option --pin"), std::string::npos) << output;
  EXPECT_EQ(sealdctl({"--help"}, &output), 0);
  EXPECT_NE(output.find("Usage: sealdctl"), std::string::npos) << output;
}

#else

TEST(Sealdctl, NotBuilt) {
  GTEST_SKIP() << "sealdctl is not in this build (add_subdirectory(cli))";
}

#endif

}  // namespace
}  // namespace seald::hsm
