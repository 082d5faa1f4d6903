// `sealdctl audit verify`, run as an operator would: a child process given
// seald's configuration file, against a real password-protected Redis.

#include <gtest/gtest.h>

#include "audit/log.h"
#include "tests/support/child_process.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace seald::audit {
namespace {

#ifdef SEALDCTL_PATH

using seald::testing::RedisServer;

constexpr const char* kPassword = "audit-redis-pass-5XQ2";

// Rewrites the stream in place (same ids, same stored hashes) with one
// record's target changed, as someone with redis-cli access could: streams
// cannot edit an entry, so every entry is read, the key dropped and the
// entries added back under their old ids.
constexpr const char* kTamperScript = R"lua(
local entries = redis.call('XRANGE', KEYS[1], '-', '+')
redis.call('DEL', KEYS[1])
for _, entry in ipairs(entries) do
  local fields = entry[2]
  if entry[1] == ARGV[1] then
    for i = 1, #fields, 2 do
      if fields[i] == 'target' then fields[i + 1] = ARGV[2] end
    end
  end
  redis.call('XADD', KEYS[1], entry[1], unpack(fields))
end
return #entries
)lua";

Record payment(int n) {
  Record r;
  r.time_ms = 1'700'000'000'000 + n;
  r.actor = "app:treasury";
  r.action = "sign";
  r.target = "doc:invoice-" + std::to_string(n);
  r.result = "ok";
  r.request_id = "req-" + std::to_string(n);
  r.client = "10.1.2.3";
  r.details = {{"seal", "S-0042"}};
  return r;
}

class SealdctlAuditTest : public ::testing::Test {
 protected:
  SealdctlAuditTest() {
    testing::write_file(dir_.file("redis.pass"), std::string(kPassword) + "\n", 0600);
    testing::write_file(dir_.file("seald.toml"),
                        "[redis]\nhost = \"127.0.0.1\"\nport = " + std::to_string(server_.port()) +
                            "\npassword_file = \"" + dir_.file("redis.pass") +
                            "\"\nconnect_timeout_ms = 500\ncommand_timeout_ms = 1000\n",
                        0600);
    endpoint_.port = server_.port();
    endpoint_.password = Secret::from_file(dir_.file("redis.pass")).value();
  }

  int verify(std::string* output) {
    std::vector<std::string> argv{SEALDCTL_PATH, "audit", "verify", "--config",
                                  dir_.file("seald.toml")};
    int status = testing::run_command(argv, output);
    EXPECT_EQ(output->find(kPassword), std::string::npos) << "the password was printed";
    return status;
  }

  std::vector<Record> append(int count) {
    redis::Pool pool(endpoint_, 1);
    AuditLog log(pool, Durability{});
    std::vector<Record> records;
    for (int i = 0; i < count; ++i) {
      records.push_back(payment(i));
    }
    EXPECT_TRUE(log.append(records));
    return records;
  }

  testing::TempDir dir_{"seald-ctl-audit"};
  RedisServer server_{RedisServer::Options{kPassword}};
  redis::Endpoint endpoint_;
};

TEST_F(SealdctlAuditTest, IntactChainIsCounted) {
  append(7);
  std::string output;
  EXPECT_EQ(verify(&output), 0) << output;
  EXPECT_NE(output.find("audit chain intact: 7 records"), std::string::npos) << output;
}

TEST_F(SealdctlAuditTest, AnEditedRecordIsNamed) {
  auto records = append(6);
  const std::string& victim = records[3].id;
  ASSERT_EQ(
      server_.cli({"EVAL", kTamperScript, "1", AuditLog::kStreamKey, victim, "doc:something-else"}),
      "6");
  ASSERT_EQ(server_.cli({"XLEN", AuditLog::kStreamKey}), "6");

  std::string output;
  EXPECT_EQ(verify(&output), 1) << output;
  EXPECT_NE(output.find("audit chain broken at " + victim + ":"), std::string::npos) << output;
}

TEST_F(SealdctlAuditTest, UnreachableRedisIsExitTwo) {
  append(2);
  server_.stop();
  std::string output;
  EXPECT_EQ(verify(&output), 2) << output;
  EXPECT_NE(output.find("audit chain not checked"), std::string::npos) << output;
  EXPECT_NE(output.find("127.0.0.1:" + std::to_string(server_.port())), std::string::npos)
      << output;
  EXPECT_NE(output.find("redis_unavailable"), std::string::npos) << output;
  EXPECT_EQ(output.find("intact"), std::string::npos) << output;
}

TEST_F(SealdctlAuditTest, WrongPasswordIsNotPrinted) {
  testing::write_file(dir_.file("redis.pass"), "not-the-password-77\n", 0600);
  std::string output;
  EXPECT_EQ(verify(&output), 2) << output;
  EXPECT_EQ(output.find("not-the-password-77"), std::string::npos) << output;
  EXPECT_NE(output.find("redis_auth_failed"), std::string::npos) << output;
}

#endif  // SEALDCTL_PATH

}  // namespace
}  // namespace seald::audit
