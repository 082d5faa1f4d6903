#include "tests/apps/app_store_fixture.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "tests/support/temp_dir.h"

namespace seald::apps::testing {
namespace {

redis::Endpoint endpoint_for(unsigned short port) {
  redis::Endpoint e;
  e.port = port;
  return e;
}

void append_all(const redis::Reply& reply, std::string& out) {
  for (std::size_t i = 0; i < reply.size(); ++i) {
    const redisReply* e = reply.element(i);
    out.append(e->str, e->len);
    out += '\n';
  }
}

}  // namespace

AppStoreTest::AppStoreTest() : pool_(endpoint_for(server_.port()), 4), store_(pool_) {}

std::string AppStoreTest::snapshot() {
  auto conn = pool_.acquire().value();
  auto keys = conn->command({"KEYS", "*"}).value();
  std::vector<std::string> names;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    names.emplace_back(keys.element(i)->str, keys.element(i)->len);
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& key : names) {
    auto type = conn->command({"TYPE", key}).value();
    std::string t(type.str());
    out += key + " " + t + "\n";
    if (t == "string") {
      out += std::string(conn->command({"GET", key}).value().str()) + "\n";
    } else if (t == "hash") {
      append_all(conn->command({"HGETALL", key}).value(), out);
    } else if (t == "zset") {
      append_all(conn->command({"ZRANGE", key, "0", "-1", "WITHSCORES"}).value(), out);
    } else if (t == "set") {
      append_all(conn->command({"SMEMBERS", key}).value(), out);
    } else if (t == "list") {
      append_all(conn->command({"LRANGE", key, "0", "-1"}).value(), out);
    } else {
      ADD_FAILURE() << "unexpected key type " << t << " for " << key;
    }
  }
  return out;
}

std::string AppStoreTest::files_on_disk() {
  std::string out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(server_.dir())) {
    if (entry.is_regular_file()) {
      out += seald::testing::read_file(entry.path().string());
    }
  }
  out += seald::testing::read_file(server_.log_file());
  return out;
}

NewApp AppStoreTest::sample(const std::string& name) {
  NewApp app;
  app.name = name;
  app.competent_unit = "Municipal Data Bureau";
  app.developer_unit = "Acme Software Co.";
  app.kind = AppKind::cloud;
  return app;
}

Credentials AppStoreTest::registered(const NewApp& app) {
  auto made = store_.register_app(app, "user-1");
  EXPECT_TRUE(made) << (made ? "" : made.error().message);
  return std::move(made).value();
}

}  // namespace seald::apps::testing
