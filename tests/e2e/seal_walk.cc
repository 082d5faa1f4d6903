#include "tests/e2e/seal_walk.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/e2e/walk_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace seald::testing {
namespace {

namespace json = boost::json;

std::set<std::string> strings(const json::value& array) {
  std::set<std::string> out;
  for (const auto& v : array.as_array()) {
    out.insert(std::string(v.as_string()));
  }
  return out;
}

std::set<std::string> ids_in(const json::value& items) {
  std::set<std::string> out;
  for (const auto& v : items.as_array()) {
    out.insert(std::string(v.at("id").as_string()));
  }
  return out;
}

std::string hex_of(const std::string& s) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

class Walk {
 public:
  explicit Walk(SealWalk& w) : w_(w), dir_("seald-seal-walk") {}

  ApiReply call(const std::string& method, const std::string& path, const std::string& token,
                const json::value& body = nullptr) {
    return api_call(w_.node, method, path, token, body);
  }

  // A new application, approved by the city's reviewer.
  std::string approved_new(const std::string& org, const std::string& name, const std::string& type,
                           const std::string& usage) {
    auto r = call("POST", "/applications", w_.applicant,
                  {{"kind", "new"},
                   {"org_id", org},
                   {"approving_org_id", w_.city},
                   {"seal_name", name},
                   {"seal_type", type},
                   {"usage", usage},
                   {"validity", "2y"},
                   {"payment_mode", "unified"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    auto ok = call("POST", "/applications/" + r.str("id") + "/approve", w_.reviewer,
                   {{"version", version_of(r)}});
    EXPECT_EQ(ok.status, 200) << ok.raw;
    return r.str("id");
  }

  // Filed by the applicant, approved by the reviewer, carried out by the operator.
  ApiReply change(const std::string& kind, const std::string& code, const std::string& org) {
    auto filed = call("POST", "/applications", w_.applicant,
                      {{"kind", kind},
                       {"org_id", org},
                       {"approving_org_id", w_.city},
                       {"seal_code", code},
                       {"reason", "走查"}});
    EXPECT_EQ(filed.status, 201) << filed.raw;
    auto ok = call("POST", "/applications/" + filed.str("id") + "/approve", w_.reviewer,
                   {{"version", version_of(filed)}});
    EXPECT_EQ(ok.str("state"), "pending_make") << ok.raw;
    return call("POST", "/applications/" + filed.str("id") + "/execute", operator_,
                {{"version", version_of(ok)}});
  }

  std::string save(const std::string& name, const std::string& bytes) {
    std::string path = dir_.file(name);
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  std::string fetch(const std::string& path, const std::string& token = "") {
    std::vector<std::string> headers;
    if (!token.empty()) {
      headers.push_back("Authorization: Bearer " + token);
    }
    auto r = http_request("GET", w_.node.url("/api/v1" + path), "", headers);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return r.body;
  }

  int openssl(const std::vector<std::string>& args, std::string* out) {
    std::vector<std::string> argv{"openssl"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, out);
  }

  // The CKA_IDs (hex) of the objects on the node's token, as pkcs11-tool
  // lists them: "  ID:         3330...".
  std::set<std::string> token_key_ids() {
    std::set<std::string> ids;
    std::istringstream lines(token_objects());
    for (std::string line; std::getline(lines, line);) {
      auto at = line.find("ID:");
      if (at != std::string::npos) {
        std::istringstream rest(line.substr(at + 3));
        std::string id;
        rest >> id;
        ids.insert(id);
      }
    }
    return ids;
  }

  std::string token_objects() {
    std::string pin = w_.node.token().pin();
    while (!pin.empty() && (pin.back() == '\n' || pin.back() == '\r')) {
      pin.pop_back();  // the PIN file ends with a newline
    }
    std::string out;
    EXPECT_EQ(run_command({"pkcs11-tool", "--module", TokenDir::kModule, "--token-label",
                           TokenDir::kLabel, "--login", "--pin", pin, "--list-objects"},
                          &out, w_.node.token().env()),
              0)
        << out;
    return out;
  }

  void run();

 private:
  SealWalk& w_;
  TempDir dir_;
  std::string operator_;
};

void Walk::run() {
  // An operator (制章员), granted the role by the system admin.
  operator_ = register_and_login(w_.node, 3, "王五");
  auto role = call("POST", "/users/" + user_id_of(w_.node, operator_) + "/roles", w_.admin,
                   {{"role", "operator"}});
  ASSERT_EQ(role.status, 200) << role.raw;
  // An office under the bureau, for "all under an org subtree".
  auto office = call("POST", "/orgs", w_.admin,
                     {{"name", "杭州市数据资源管理局办公室"},
                      {"credit_code", credit_code(4)},
                      {"region", "330100"},
                      {"parent_id", w_.bureau}});
  ASSERT_EQ(office.status, 201) << office.raw;
  std::string office_id = office.str("id");

  // §2.5–2.6: make every approved seal, plus a UKey one and one of the office.
  auto pending = w_.pending_make;
  pending["business_ukey"] = approved_new(w_.bureau, "数据局业务专用章", "business", "ukey");
  pending["office"] = approved_new(office_id, "办公室业务专用章", "business", "cloud");
  std::map<std::string, std::string> code;  // as pending's keys
  for (const auto& [what, id] : pending) {
    auto app = call("GET", "/applications/" + id, operator_);
    json::object body{{"version", version_of(app)}};
    if (what == "contract") {
      body["key_algorithm"] = "rsa-2048";
    }
    auto made = call("POST", "/applications/" + id + "/make", operator_, body);
    ASSERT_EQ(made.status, 201) << what << ": " << made.raw;
    EXPECT_EQ(made.str("status"), "active");
    EXPECT_EQ(made.str("certificate_serial").empty(), what == "business_ukey") << what;
    code[what] = made.str("code");
  }
  std::string legal = code["legal_name"], finance = code["finance"], contract = code["contract"];
  EXPECT_EQ(call("GET", "/seals/" + contract, w_.applicant).str("key_algorithm"), "rsa-2048");
  auto personal =
      http_request("GET", w_.node.url("/api/v1/seals/" + code["personal_name"] + "/image"), "",
                   {"Authorization: Bearer " + w_.applicant});
  EXPECT_EQ(personal.body.substr(1, 3), "PNG") << "the hand-drawn picture is the seal image";
  EXPECT_NE(fetch("/seals/" + legal + "/image", w_.applicant).find("<svg"), std::string::npos);

  std::string ca = save("ca.pem", fetch("/ca/certificate"));
  std::string legal_pem =
      save("legal.pem", fetch("/seals/" + legal + "/certificate", w_.applicant));
  std::string out;
  EXPECT_EQ(openssl({"verify", "-CAfile", ca, legal_pem}, &out), 0) << out;

  // §4 (system admin): register three cloud apps and a UKey one.
  std::map<std::string, std::string> app, secret;
  for (auto [key, name, kind] :
       {std::tuple{"A", "协同办公平台", "cloud"}, std::tuple{"B", "电子证照系统", "cloud"},
        std::tuple{"C", "公文交换系统", "cloud"}, std::tuple{"U", "UKey签章客户端", "ukey"}}) {
    auto r = call("POST", "/apps", w_.admin,
                  {{"name", name},
                   {"competent_unit", "杭州市数据资源管理局"},
                   {"developer_unit", "某软件公司"},
                   {"kind", kind}});
    ASSERT_EQ(r.status, 201) << r.raw;
    app[key] = std::string(r.body.at("app").at("id").as_string());
    secret[key] = r.str("client_secret");
    EXPECT_GE(secret[key].size(), 32u);
  }
  auto found = call("GET", "/apps?q=%E8%AF%81%E7%85%A7", w_.applicant);
  ASSERT_EQ(found.status, 200) << "a seal admin finds apps to grant to: " << found.raw;
  EXPECT_EQ(found.body.at("total").as_int64(), 1);

  // §4.1: grant one seal, a batch, and all under the office.
  std::string a = "/apps/" + app["A"] + "/grants";
  auto one = call("PUT", a + "/" + legal, w_.applicant);
  ASSERT_EQ(one.status, 200) << one.raw;
  auto batch = call("POST", a, w_.applicant, {{"seal_codes", json::array{finance, contract}}});
  ASSERT_EQ(batch.status, 200) << batch.raw;
  auto all = call("POST", a, w_.applicant, {{"all", true}, {"org_id", office_id}});
  ASSERT_EQ(all.status, 200) << all.raw;
  EXPECT_EQ(strings(all.body.at("changed")), std::set<std::string>{code["office"]});
  // §4.1 (三): sync the batch to two other apps.
  auto sync = call(
      "POST", "/grants/sync", w_.applicant,
      {{"operation_id", batch.str("operation_id")}, {"app_ids", json::array{app["B"], app["C"]}}});
  ASSERT_EQ(sync.status, 200) << sync.raw;
  EXPECT_EQ(ids_in(call("GET", "/seals/" + finance + "/apps", w_.applicant).body.at("items")),
            (std::set<std::string>{app["A"], app["B"], app["C"]}));

  // §4.2–4.3: the lists.
  auto listed = call("GET", "/managed-apps", w_.applicant);
  ASSERT_EQ(listed.status, 200) << listed.raw;
  EXPECT_EQ(ids_in(listed.body.at("items")),
            (std::set<std::string>{app["A"], app["B"], app["C"], app["U"]}));
  for (const auto& item : listed.body.at("items").as_array()) {
    bool ukey = item.at("id").as_string() == app["U"];
    EXPECT_EQ(item.at("read_only").as_bool(), ukey);
    EXPECT_EQ(item.at("kind").as_string(), ukey ? "ukey" : "cloud");
  }
  auto under_office = call("GET", "/apps/" + app["A"] + "/seals?org_id=" + office_id, w_.applicant);
  ASSERT_EQ(under_office.status, 200) << under_office.raw;
  EXPECT_EQ(under_office.body.at("total").as_int64(), 1);
  EXPECT_EQ(call("GET", "/apps/" + app["A"] + "/seals", w_.applicant).body.at("total").as_int64(),
            4);
  auto ukey_seals = call("GET", "/apps/" + app["U"] + "/seals", w_.applicant);
  EXPECT_EQ(ukey_seals.body.at("total").as_int64(), 1) << ukey_seals.raw;
  auto managed = call("GET", "/managed-seals?limit=100", w_.applicant);
  ASSERT_EQ(managed.status, 200) << managed.raw;
  EXPECT_EQ(managed.body.at("total").as_int64(), 7);
  for (const auto& s : managed.body.at("items").as_array()) {
    for (const char* field : {"code", "name", "type", "image_url", "usage", "validity", "status",
                              "enabled_ms", "apps"}) {
      EXPECT_TRUE(s.as_object().contains(field)) << field;
    }
  }

  // §4.4: take back a batch, then all of one app's.
  auto less =
      call("POST", a + "/remove", w_.applicant, {{"seal_codes", json::array{finance, contract}}});
  ASSERT_EQ(less.status, 200) << less.raw;
  EXPECT_EQ(strings(less.body.at("changed")), (std::set<std::string>{finance, contract}));
  auto none = call("POST", "/apps/" + app["B"] + "/grants/remove", w_.applicant, {{"all", true}});
  ASSERT_EQ(none.status, 200) << none.raw;
  EXPECT_EQ(strings(none.body.at("changed")), (std::set<std::string>{finance, contract}));
  EXPECT_EQ(ids_in(call("GET", "/seals/" + finance + "/apps", w_.applicant).body.at("items")),
            std::set<std::string>{app["C"]});

  // Lifecycle, each through an application: loss, restore, reissue, revoke.
  auto lost = change("report_loss", legal, w_.bureau);
  ASSERT_EQ(lost.status, 200) << lost.raw;
  EXPECT_EQ(lost.str("status"), "suspended");
  auto restored = change("restore", legal, w_.bureau);
  ASSERT_EQ(restored.status, 200) << restored.raw;
  EXPECT_EQ(restored.str("status"), "active");

  std::string old_serial =
      call("GET", "/seals/" + contract, w_.applicant).str("certificate_serial");
  EXPECT_TRUE(token_key_ids().contains(hex_of(contract)));
  auto reissued = change("reissue", contract, w_.bureau);
  ASSERT_EQ(reissued.status, 200) << reissued.raw;
  EXPECT_NE(reissued.str("certificate_serial"), old_serial);
  EXPECT_EQ(strings(reissued.body.at("previous_certificate_serials")),
            std::set<std::string>{old_serial});
  EXPECT_EQ(ids_in(call("GET", "/seals/" + contract + "/apps", w_.applicant).body.at("items")),
            std::set<std::string>{app["C"]})
      << "a reissue keeps the grants";
  std::string old_pem =
      save("contract-old.pem",
           fetch("/seals/" + contract + "/certificate?serial=" + old_serial, w_.applicant));
  std::string new_pem =
      save("contract-new.pem", fetch("/seals/" + contract + "/certificate", w_.applicant));
  EXPECT_EQ(openssl({"verify", "-CAfile", ca, new_pem}, &out), 0) << out;

  auto revoked = change("revoke", legal, w_.bureau);
  ASSERT_EQ(revoked.status, 200) << revoked.raw;
  EXPECT_EQ(revoked.str("status"), "revoked");
  EXPECT_TRUE(
      call("GET", "/seals/" + legal + "/apps", w_.applicant).body.at("items").as_array().empty())
      << "a revoked seal keeps no grants";

  // The CRL from the API is signed by the CA and lists the revoked
  // certificate and the one the reissue replaced.
  std::string crl_der = save("crl.der", fetch("/ca/crl"));
  EXPECT_EQ(openssl({"crl", "-inform", "DER", "-in", crl_der, "-CAfile", ca, "-noout"}, &out), 0)
      << out;
  EXPECT_NE(out.find("verify OK"), std::string::npos) << out;
  std::string crl_pem = dir_.file("crl.pem");
  ASSERT_EQ(openssl({"crl", "-inform", "DER", "-in", crl_der, "-out", crl_pem}, &out), 0) << out;
  for (const std::string& pem : {legal_pem, old_pem}) {
    EXPECT_NE(openssl({"verify", "-crl_check", "-CAfile", ca, "-CRLfile", crl_pem, pem}, &out), 0)
        << pem;
    EXPECT_NE(out.find("revoked"), std::string::npos) << out;
  }
  EXPECT_EQ(openssl({"verify", "-crl_check", "-CAfile", ca, "-CRLfile", crl_pem, new_pem}, &out), 0)
      << out;

  // The token, read by pkcs11-tool: the revoked seal's key and the replaced
  // key are gone, the reissued one is there.
  auto ids = token_key_ids();
  EXPECT_FALSE(ids.contains(hex_of(legal))) << token_objects();
  EXPECT_FALSE(ids.contains(hex_of(contract))) << token_objects();
  EXPECT_TRUE(ids.contains(hex_of(contract + ".1"))) << token_objects();
  EXPECT_TRUE(ids.contains(hex_of(finance))) << token_objects();

  // No app secret in the log or anywhere in Redis' files (AOF, RDB).
  w_.node.redis().cli({"SAVE"});
  std::string stored;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(w_.node.redis().dir())) {
    if (entry.is_regular_file()) {
      stored += read_file(entry.path().string());
    }
  }
  ASSERT_GT(stored.size(), 1000u);
  for (const auto& [key, value] : secret) {
    EXPECT_EQ(w_.node.log().find(value), std::string::npos) << "secret of app " << key;
    EXPECT_EQ(stored.find(value), std::string::npos) << "secret of app " << key;
  }
}

}  // namespace

void walk_seals_and_grants(SealWalk& walk) {
  Walk(walk).run();
}

}  // namespace seald::testing
