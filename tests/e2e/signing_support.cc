#include "tests/e2e/signing_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "core/base64.h"
#include "tests/e2e/walk_support.h"
#include "tests/support/child_process.h"

namespace seald::testing {

namespace json = boost::json;

SigningSetup::SigningSetup(SealdNode& n) : node(n) {
  std::string creds = read_file(node.data_dir() + "/bootstrap-admin.txt");
  std::smatch m;
  EXPECT_TRUE(std::regex_search(creds, m, std::regex("password: (\\S+)"))) << creds;
  admin = login(node, "bootstrap-admin", m[1]);
  auto make_org = [&](const std::string& name, unsigned k, const std::string& parent) {
    json::object body{{"name", name}, {"credit_code", credit_code(k)}, {"region", "330100"}};
    if (!parent.empty()) {
      body["parent_id"] = parent;
    }
    auto r = api_call(node, "POST", "/orgs", admin, body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.str("id");
  };
  city = make_org("杭州市人民政府", 21, "");
  bureau = make_org("杭州市数据资源管理局", 22, city);
  std::string me = user_id_of(node, admin);
  for (const json::object& role :
       {json::object{{"role", "reviewer"}, {"org_id", city}}, json::object{{"role", "operator"}},
        json::object{{"role", "auditor"}},
        json::object{{"role", "org_seal_admin"}, {"org_id", city}, {"region", "330100"}}}) {
    auto r = api_call(node, "POST", "/users/" + me + "/roles", admin, role);
    EXPECT_EQ(r.status, 200) << r.raw;
  }
}

std::string SigningSetup::make_seal(const std::string& key_algorithm, const std::string& usage) {
  auto app = api_call(node, "POST", "/applications", admin,
                      {{"kind", "new"},
                       {"org_id", bureau},
                       {"approving_org_id", city},
                       {"seal_name", "签名测试章" + std::to_string(++next_seal_)},
                       {"seal_type", "contract"},
                       {"usage", usage},
                       {"validity", "1y"},
                       {"payment_mode", "unified"}});
  EXPECT_EQ(app.status, 201) << app.raw;
  auto ok = api_call(node, "POST", "/applications/" + app.str("id") + "/approve", admin,
                     {{"version", version_of(app)}});
  EXPECT_EQ(ok.status, 200) << ok.raw;
  json::object body{{"version", version_of(ok)}};
  if (usage == "cloud") {
    body["key_algorithm"] = key_algorithm;
  }
  auto made = api_call(node, "POST", "/applications/" + app.str("id") + "/make", admin, body);
  EXPECT_EQ(made.status, 201) << made.raw;
  return made.str("code");
}

RegisteredApp SigningSetup::register_app(const std::string& name) {
  auto r = api_call(node, "POST", "/apps", admin,
                    {{"name", name},
                     {"competent_unit", "杭州市数据资源管理局"},
                     {"developer_unit", "某软件公司"},
                     {"kind", "cloud"}});
  EXPECT_EQ(r.status, 201) << r.raw;
  if (r.status != 201) {
    return {};
  }
  return {std::string(r.body.at("app").at("id").as_string()),
          std::string(r.body.at("app").at("client_id").as_string()), r.str("client_secret")};
}

void SigningSetup::grant(const RegisteredApp& app, const std::string& code) {
  auto r = api_call(node, "PUT", "/apps/" + app.id + "/grants/" + code, admin);
  EXPECT_EQ(r.status, 200) << r.raw;
}

std::string SigningSetup::token_for(const RegisteredApp& app) {
  auto r = http_request(
      "POST", node.url("/oauth2/token"),
      "grant_type=client_credentials&client_id=" + app.client_id + "&client_secret=" + app.secret,
      {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(r.status, 200) << r.body;
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("access_token")) {
    return "";
  }
  return std::string(v.at("access_token").as_string());
}

SigningSetup::Ready SigningSetup::ready_to_sign(const std::string& app_name) {
  Ready r;
  r.app = register_app(app_name);
  r.code = make_seal("ec-p256");
  grant(r.app, r.code);
  r.token = token_for(r.app);
  r.hash = hash_b64(write("ready-doc.txt", "正文 " + app_name), "sha256");
  return r;
}

ApiReply SigningSetup::sign(const std::string& token, const json::value& body) {
  return api_call(node, "POST", "/sign", token, body);
}

ApiReply SigningSetup::sign(const std::string& token, const std::string& code,
                            const std::string& algorithm,
                            const std::vector<std::string>& hashes_b64, const std::string& format) {
  json::array hashes;
  for (const auto& h : hashes_b64) {
    hashes.emplace_back(h);
  }
  return sign(token, json::object{{"seal_code", code},
                                  {"hash_algorithm", algorithm},
                                  {"hashes", std::move(hashes)},
                                  {"format", format}});
}

std::string SigningSetup::write(const std::string& name, const std::string& bytes) {
  std::string path = dir.file(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string SigningSetup::hash_b64(const std::string& path, const std::string& algorithm) {
  std::string digest;
  EXPECT_EQ(run_command({"openssl", "dgst", "-" + algorithm, "-binary", "-out",
                         path + "." + algorithm, path}),
            0);
  digest = read_file(path + "." + algorithm);
  return base64_encode(
      std::span(reinterpret_cast<const std::uint8_t*>(digest.data()), digest.size()));
}

int SigningSetup::openssl(const std::vector<std::string>& args, std::string* out) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, out);
}

std::string SigningSetup::ca_pem_path() {
  auto r = http_request("GET", node.url("/api/v1/ca/certificate"));
  EXPECT_EQ(r.status, 200);
  return write("ca.pem", r.body);
}

}  // namespace seald::testing
