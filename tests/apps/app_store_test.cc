#include "apps/app_store.h"

#include <regex>

#include <gtest/gtest.h>

#include "tests/apps/app_store_fixture.h"

namespace seald::apps::testing {
namespace {

TEST_F(AppStoreTest, RegisterIssuesCredentialsAndGetReturnsTheRecord) {
  auto made = registered(sample());
  EXPECT_TRUE(std::regex_match(made.app.client_id, std::regex("app_[0-9a-f]{16}")));
  // 32 random bytes in base64url without padding.
  EXPECT_TRUE(
      std::regex_match(std::string(made.client_secret.reveal()), std::regex("[A-Za-z0-9_-]{43}")));
  EXPECT_EQ(made.app.status, AppStatus::enabled);
  EXPECT_EQ(made.app.version, 1);

  auto got = store_.get(made.app.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->client_id, made.app.client_id);
  EXPECT_EQ(got->name, "Permit Office Portal");
  EXPECT_EQ(got->competent_unit, "Municipal Data Bureau");
  EXPECT_EQ(got->developer_unit, "Acme Software Co.");
  EXPECT_EQ(got->kind, AppKind::cloud);
  EXPECT_EQ(got->created_by, "user-1");
  EXPECT_EQ(got->version, 1);

  auto other = registered(sample("Another"));
  EXPECT_NE(other.app.client_id, made.app.client_id);
  EXPECT_NE(other.client_secret.reveal(), made.client_secret.reveal());
  EXPECT_EQ(store_.get("0123456789abcdef0123456789abcdef").error().code, "app_not_found");
  EXPECT_EQ(store_.get("../etc").error().code, "app_not_found");
}

TEST_F(AppStoreTest, InvalidRegistrationsAreRefusedAndWriteNothing) {
  std::string before = snapshot();
  NewApp app = sample("");
  EXPECT_EQ(store_.register_app(app, "u").error().code, "app_name_invalid");
  app = sample();
  app.competent_unit = "";
  EXPECT_EQ(store_.register_app(app, "u").error().code, "app_competent_unit_invalid");
  app = sample();
  app.developer_unit = std::string(257, 'x');
  EXPECT_EQ(store_.register_app(app, "u").error().code, "app_developer_unit_invalid");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(AppStoreTest, SearchFindsCaseInsensitiveSubstringsInEachFieldAndPages) {
  NewApp a = sample("Tax Filing Portal");
  a.competent_unit = "税务局";
  a.developer_unit = "Beta Labs";
  NewApp b = sample("Licence Desk");
  b.competent_unit = "市场监督管理局";
  b.developer_unit = "TAXONOMY Systems";
  b.kind = AppKind::ukey;
  NewApp c = sample("Archive");
  c.competent_unit = "档案局";
  c.developer_unit = "Gamma Tax Works";
  std::string ida = registered(a).app.id;
  std::string idb = registered(b).app.id;
  std::string idc = registered(c).app.id;

  auto ids = [](const AppPage& page) {
    std::vector<std::string> out;
    for (const auto& app : page.items) {
      out.push_back(app.id);
    }
    return out;
  };
  auto by_name = store_.search("tAX", SearchField::name, 0, 10).value();
  EXPECT_EQ(ids(by_name), std::vector<std::string>{ida});
  auto by_competent = store_.search("监督", SearchField::competent_unit, 0, 10).value();
  EXPECT_EQ(ids(by_competent), std::vector<std::string>{idb});
  EXPECT_EQ(by_competent.items[0].kind, AppKind::ukey);
  auto by_developer = store_.search("tax", SearchField::developer_unit, 0, 10).value();
  EXPECT_EQ(ids(by_developer), (std::vector<std::string>{idb, idc}));
  auto anywhere = store_.search("TAX", SearchField::any, 0, 10).value();
  EXPECT_EQ(anywhere.total, 3u);
  EXPECT_EQ(store_.search("nothing like it", SearchField::any, 0, 10).value().total, 0u);

  // Pages keep registration order and the total counts every match.
  auto first = store_.search("", SearchField::any, 0, 2).value();
  EXPECT_EQ(first.total, 3u);
  EXPECT_EQ(ids(first), (std::vector<std::string>{ida, idb}));
  auto second = store_.search("", SearchField::any, 2, 2).value();
  EXPECT_EQ(second.total, 3u);
  EXPECT_EQ(ids(second), std::vector<std::string>{idc});
  EXPECT_TRUE(store_.search("", SearchField::any, 5, 2).value().items.empty());
}

TEST_F(AppStoreTest, OnlyTheCurrentSecretVerifies) {
  auto made = registered(sample());
  auto ok = store_.verify_secret(made.app.client_id, made.client_secret);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->id, made.app.id);

  std::string wrong(made.client_secret.reveal());
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(store_.verify_secret(made.app.client_id, Secret(wrong)).error().code,
            "app_credentials_invalid");
  EXPECT_EQ(store_.verify_secret("app_0000000000000000", made.client_secret).error().code,
            "app_credentials_invalid");
  EXPECT_EQ(store_.verify_secret(made.app.client_id, Secret("")).error().code,
            "app_credentials_invalid");

  auto rotated = store_.rotate_secret(made.app.id, 1);
  ASSERT_TRUE(rotated) << rotated.error().message;
  EXPECT_EQ(rotated->app.version, 2);
  EXPECT_EQ(rotated->app.client_id, made.app.client_id);  // the id stays, the secret changes
  EXPECT_NE(rotated->client_secret.reveal(), made.client_secret.reveal());
  EXPECT_EQ(store_.verify_secret(made.app.client_id, made.client_secret).error().code,
            "app_credentials_invalid");
  EXPECT_TRUE(store_.verify_secret(made.app.client_id, rotated->client_secret));
}

TEST_F(AppStoreTest, DisabledAppIsReportedDisabledUntilEnabled) {
  auto made = registered(sample());
  auto disabled = store_.disable(made.app.id, 1);
  ASSERT_TRUE(disabled) << disabled.error().message;
  EXPECT_EQ(disabled->status, AppStatus::disabled);
  EXPECT_EQ(disabled->version, 2);
  EXPECT_EQ(store_.get(made.app.id)->status, AppStatus::disabled);
  EXPECT_EQ(store_.verify_secret(made.app.client_id, made.client_secret).error().code,
            "app_disabled");
  // A wrong secret says nothing about the app's state.
  EXPECT_EQ(store_.verify_secret(made.app.client_id, Secret("guess")).error().code,
            "app_credentials_invalid");

  auto enabled = store_.enable(made.app.id, 2);
  ASSERT_TRUE(enabled) << enabled.error().message;
  EXPECT_EQ(enabled->status, AppStatus::enabled);
  EXPECT_EQ(enabled->version, 3);
  EXPECT_TRUE(store_.verify_secret(made.app.client_id, made.client_secret));
}

TEST_F(AppStoreTest, RefusedChangesChangeNothing) {
  auto made = registered(sample());
  std::string before = snapshot();
  EXPECT_EQ(store_.disable(made.app.id, 7).error().code, "app_version_conflict");
  EXPECT_EQ(store_.enable(made.app.id, 0).error().code, "app_version_conflict");
  EXPECT_EQ(store_.rotate_secret(made.app.id, 2).error().code, "app_version_conflict");
  EXPECT_EQ(store_.enable(made.app.id, 1).error().code, "app_status_conflict");
  EXPECT_EQ(store_.disable("0123456789abcdef0123456789abcdef", 1).error().code, "app_not_found");
  EXPECT_EQ(snapshot(), before);
  EXPECT_TRUE(store_.verify_secret(made.app.client_id, made.client_secret));

  // Two admins with the same version: the second loses and changes nothing.
  ASSERT_TRUE(store_.disable(made.app.id, 1));
  std::string after_first = snapshot();
  EXPECT_EQ(store_.rotate_secret(made.app.id, 1).error().code, "app_version_conflict");
  EXPECT_EQ(snapshot(), after_first);
}

TEST_F(AppStoreTest, ARateLimitIsSetReadBackAndCleared) {
  auto made = registered(sample());
  EXPECT_FALSE(made.app.rate_limit);
  auto limited = store_.set_rate_limit(made.app.id, 1, AppRateLimit{25, 50});
  ASSERT_TRUE(limited) << limited.error().message;
  EXPECT_EQ(limited->rate_limit, (AppRateLimit{25, 50}));
  EXPECT_EQ(limited->version, 2);
  EXPECT_EQ(store_.get(made.app.id)->rate_limit, (AppRateLimit{25, 50}));
  // A limit is no status: the app stays enabled and its secret works.
  EXPECT_EQ(limited->status, AppStatus::enabled);
  EXPECT_TRUE(store_.verify_secret(made.app.client_id, made.client_secret));
  // Search (what the signing cache loads from) carries it too.
  EXPECT_EQ(store_.search("", SearchField::any, 0, 10)->items.at(0).rate_limit,
            (AppRateLimit{25, 50}));
  // Rate 0 is an explicit exemption, not the default.
  EXPECT_EQ(store_.set_rate_limit(made.app.id, 2, AppRateLimit{0, 1})->rate_limit,
            (AppRateLimit{0, 1}));

  auto cleared = store_.set_rate_limit(made.app.id, 3, std::nullopt);
  ASSERT_TRUE(cleared) << cleared.error().message;
  EXPECT_FALSE(cleared->rate_limit);
  EXPECT_FALSE(store_.get(made.app.id)->rate_limit);
  EXPECT_EQ(cleared->version, 4);
}

TEST_F(AppStoreTest, RefusedRateLimitsChangeNothing) {
  auto made = registered(sample());
  ASSERT_TRUE(store_.set_rate_limit(made.app.id, 1, AppRateLimit{10, 20}));
  std::string before = snapshot();
  EXPECT_EQ(store_.set_rate_limit(made.app.id, 1, AppRateLimit{99, 99}).error().code,
            "app_version_conflict");
  for (AppRateLimit bad :
       {AppRateLimit{10, 0}, AppRateLimit{1'000'001, 10}, AppRateLimit{10, 10'000'001}}) {
    EXPECT_EQ(store_.set_rate_limit(made.app.id, 2, bad).error().code, "app_rate_limit_invalid");
  }
  EXPECT_EQ(store_.set_rate_limit("0123456789abcdef0123456789abcdef", 1, std::nullopt).error().code,
            "app_not_found");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(AppStoreTest, TheSecretAppearsNowhereInRedis) {
  auto made = registered(sample());
  auto rotated = store_.rotate_secret(made.app.id, 1).value();
  ASSERT_TRUE(store_.disable(made.app.id, 2));
  ASSERT_TRUE(store_.verify_secret(made.app.client_id, rotated.client_secret).error().code ==
              "app_disabled");
  server_.cli({"SAVE"});

  std::string data = snapshot();
  std::string disk = files_on_disk();
  EXPECT_NE(data.find(made.app.client_id), std::string::npos);  // the scan does see the app
  EXPECT_NE(disk.find(made.app.client_id), std::string::npos);
  for (const Secret* secret : {&made.client_secret, &rotated.client_secret}) {
    std::string s(secret->reveal());
    EXPECT_EQ(data.find(s), std::string::npos);
    EXPECT_EQ(disk.find(s), std::string::npos);
  }
}

}  // namespace
}  // namespace seald::apps::testing
