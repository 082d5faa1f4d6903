// The secrets audit: after a run that uses every kind of secret seald
// handles — the HSM PIN, the Redis password, user passwords and session
// tokens, app secrets, app access tokens and CSC SADs — none of them appears
// in seald's log, in Redis' log, or anywhere in Redis' data files (AOF and
// a fresh RDB dump).

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>

#include "tests/e2e/signing_support.h"
#include "tests/e2e/walk_support.h"

namespace seald::testing {
namespace {

namespace json = boost::json;

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

TEST(SecretsAudit, NoSecretReachesALogOrRedis) {
  SealdNode node;
  ASSERT_TRUE(node.start()) << node.log();
  SigningSetup s(node);
  std::map<std::string, std::string> secrets;  // what → value
  std::smatch m;
  std::string creds = read_file(node.data_dir() + "/bootstrap-admin.txt");
  ASSERT_TRUE(std::regex_search(creds, m, std::regex("password: (\\S+)")));
  secrets["bootstrap admin password"] = m[1];
  secrets["admin session token"] = s.admin;
  secrets["HSM user PIN"] = trimmed(node.token().pin());
  secrets["HSM SO PIN"] = trimmed(node.token().so_pin());
  secrets["Redis password"] = node.redis_password();

  std::string user = register_and_login(node, 7, "赵六");
  secrets["user session token"] = user;
  secrets["user password"] = "Walk-Passw0rd";
  // A failed login and a wrong app secret are logged as events, never with
  // what was typed.
  api_call(node, "POST", "/auth/login", "",
           {{"login", "13900001007"}, {"password", "Wrong-Passw0rd-7"}});
  secrets["mistyped password"] = "Wrong-Passw0rd-7";

  auto [app, code, token, hash] = s.ready_to_sign("保密测试应用");
  secrets["app secret"] = app.secret;
  secrets["app access token"] = token;
  http_request("POST", node.url("/oauth2/token"),
               "grant_type=client_credentials&client_id=" + app.client_id +
                   "&client_secret=Not-The-Secret-1234",
               {"Content-Type: application/x-www-form-urlencoded"});
  secrets["wrong app secret"] = "Not-The-Secret-1234";
  for (const char* format : {"raw", "cms"}) {
    ASSERT_EQ(s.sign(token, code, "SHA-256", {hash}, format).status, 200);
  }
  auto rotated =
      api_call(node, "POST", "/apps/" + app.id + "/rotate-secret", s.admin,
               {{"version", api_call(node, "GET", "/apps/" + app.id, s.admin).body.at("version")}});
  ASSERT_EQ(rotated.status, 200) << rotated.raw;
  secrets["rotated app secret"] = rotated.str("client_secret");
  auto authorized =
      http_request("POST", node.url("/csc/v2/credentials/authorize"),
                   json::serialize(json::object{{"credentialID", code}, {"numSignatures", 1}}),
                   {"Content-Type: application/json", "Authorization: Bearer " + token});
  ASSERT_EQ(authorized.status, 200) << authorized.body;
  secrets["CSC SAD"] = std::string(json::parse(authorized.body).at("SAD").as_string());

  ASSERT_EQ(node.stop(), 0);  // flushes every log
  node.redis().cli({"SAVE"});
  std::map<std::string, std::string> places{{"seald log", node.log()}};
  places["redis log"] = read_file(node.redis().log_file());
  for (const auto& entry : std::filesystem::recursive_directory_iterator(node.redis().dir())) {
    // The server's own config file holds the password by design (0600).
    if (entry.is_regular_file() && entry.path().extension() != ".conf") {
      places["redis file " + entry.path().filename().string()] = read_file(entry.path().string());
    }
  }
  std::size_t bytes = 0;
  for (const auto& [where, text] : places) {
    bytes += text.size();
  }
  ASSERT_GT(bytes, 10000u) << "the run left logs and data to search";
  // A control: what is not secret (the app's client_id) is found where it
  // was stored, so the search itself works on these files.
  std::string all_redis;
  for (const auto& [where, text] : places) {
    if (where.starts_with("redis file")) {
      all_redis += text;
    }
  }
  EXPECT_NE(all_redis.find(app.client_id), std::string::npos);
  for (const auto& [what, value] : secrets) {
    ASSERT_GE(value.size(), 6u) << what;
    for (const auto& [where, text] : places) {
      EXPECT_EQ(text.find(value), std::string::npos) << what << " found in " << where;
    }
  }
}

}  // namespace
}  // namespace seald::testing
