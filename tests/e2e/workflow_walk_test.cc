// The manual's §2–§3 walk through the HTTP API of a real seald, on a real
// Redis and SoftHSMv2 token: register and log in, apply for each of the six
// seal types, return one with a comment, edit and resubmit it, withdraw one,
// approve the rest to pending_make, apply for seal admin and have it approved,
// read every history — then restart seald and Redis and find it all again,
// and carry on with seals, apps and grants (seal_walk.h).

#include <gtest/gtest.h>

#include <regex>

#include "tests/e2e/api_client.h"
#include "tests/e2e/seal_walk.h"
#include "tests/e2e/walk_support.h"

namespace seald::testing {
namespace {

namespace json = boost::json;

TEST(WorkflowWalk, ManualSectionsTwoAndThreeThroughTheApi) {
  SealdNode node;
  ASSERT_TRUE(node.start()) << node.log();

  // The bootstrap admin's credentials are in a 0600 file in the data folder.
  std::string creds = read_file(node.data_dir() + "/bootstrap-admin.txt");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(creds, m, std::regex("password: (\\S+)"))) << creds;
  std::string admin = login(node, "bootstrap-admin", m[1]);
  ASSERT_FALSE(admin.empty());

  // The org tree: province → city → bureau.
  auto make_org = [&](const std::string& name, unsigned n, const std::string& region,
                      const std::string& parent) {
    json::object body{{"name", name}, {"credit_code", credit_code(n)}, {"region", region}};
    if (!parent.empty()) {
      body["parent_id"] = parent;
    }
    auto r = api_call(node, "POST", "/orgs", admin, body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.str("id");
  };
  std::string province = make_org("浙江省人民政府", 1, "330000", "");
  std::string city = make_org("杭州市人民政府", 2, "330100", province);
  std::string bureau = make_org("杭州市数据资源管理局", 3, "330100", city);

  // §2.2: register and log in; a reviewer for the city approves.
  std::string applicant = register_and_login(node, 1, "张三");
  std::string reviewer = register_and_login(node, 2, "李四");
  ASSERT_FALSE(applicant.empty());
  ASSERT_FALSE(reviewer.empty());
  auto grant = api_call(node, "POST", "/users/" + user_id_of(node, reviewer) + "/roles", admin,
                        {{"role", "reviewer"}, {"org_id", city}});
  ASSERT_EQ(grant.status, 200) << grant.raw;

  // §2.3: apply for each of the six seal types.
  std::map<std::string, std::string> apps;  // type → id
  for (const char* type : {"legal_name", "finance", "invoice", "contract", "business"}) {
    auto r = api_call(node, "POST", "/applications", applicant,
                      {{"kind", "new"},
                       {"org_id", bureau},
                       {"approving_org_id", city},
                       {"seal_name", std::string("数据局") + type + "章"},
                       {"seal_type", type},
                       {"usage", "cloud"},
                       {"validity", "2y"},
                       {"payment_mode", "unified"}});
    ASSERT_EQ(r.status, 201) << r.raw;
    EXPECT_EQ(r.str("state"), "pending_review");
    apps[type] = r.str("id");
  }
  // A personal name seal is drawn by hand: its picture is an upload.
  static const unsigned char kPng[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0,    0, 0, 13,
                                       'I',  'H', 'D', 'R', 0,    0,    0,    1,    0,    0, 0, 1,
                                       8,    6,   0,   0,   0,    0x1f, 0x15, 0xc4, 0x89, 0, 0, 0,
                                       0,    'I', 'E', 'N', 'D',  0xae, 'B',  0x60, 0x82};
  auto upload = http_request(
      "POST", node.url("/api/v1/uploads"),
      std::string(reinterpret_cast<const char*>(kPng), sizeof kPng),
      {"Authorization: Bearer " + applicant, "Content-Type: application/octet-stream"});
  ASSERT_EQ(upload.status, 201) << upload.body;
  std::string image = json::parse(upload.body).at("id").as_string().c_str();
  auto personal = api_call(node, "POST", "/applications", applicant,
                           {{"kind", "new"},
                            {"org_id", bureau},
                            {"approving_org_id", city},
                            {"seal_name", "张三名章"},
                            {"seal_type", "personal_name"},
                            {"usage", "cloud"},
                            {"validity", "1y"},
                            {"payment_mode", "unified"},
                            {"creation_method", "handdrawn"},
                            {"image_upload_id", image}});
  ASSERT_EQ(personal.status, 201) << personal.raw;
  apps["personal_name"] = personal.str("id");

  // The printable form is a PDF.
  auto pdf = http_request("GET", node.url("/api/v1/applications/" + apps["finance"] + "/form.pdf"),
                          "", {"Authorization: Bearer " + applicant});
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");

  // §2.4: the reviewer sees the queue, returns one with a comment...
  auto queue = api_call(node, "GET", "/review-queue?org_id=" + city, reviewer);
  ASSERT_EQ(queue.status, 200) << queue.raw;
  EXPECT_EQ(queue.body.at("total").as_int64(), 6);
  auto app = api_call(node, "GET", "/applications/" + apps["invoice"], reviewer);
  auto returned =
      api_call(node, "POST", "/applications/" + apps["invoice"] + "/return", reviewer,
               {{"version", version_of(app)}, {"comment", "印章名称与单位正式章需区分"}});
  ASSERT_EQ(returned.status, 200) << returned.raw;
  EXPECT_EQ(returned.str("state"), "returned");
  EXPECT_EQ(returned.str("review_comment"), "印章名称与单位正式章需区分");
  // ...the applicant edits and resubmits it.
  auto edited = api_call(node, "PUT", "/applications/" + apps["invoice"], applicant,
                         {{"version", version_of(returned)},
                          {"kind", "new"},
                          {"org_id", bureau},
                          {"approving_org_id", city},
                          {"seal_name", "数据局发票专用章"},
                          {"seal_type", "invoice"},
                          {"usage", "cloud"},
                          {"validity", "2y"},
                          {"payment_mode", "unified"}});
  ASSERT_EQ(edited.status, 200) << edited.raw;
  auto resubmitted = api_call(node, "POST", "/applications/" + apps["invoice"] + "/resubmit",
                              applicant, {{"version", version_of(edited)}});
  ASSERT_EQ(resubmitted.status, 200) << resubmitted.raw;
  EXPECT_EQ(resubmitted.str("state"), "pending_review");

  // One is withdrawn by the applicant.
  app = api_call(node, "GET", "/applications/" + apps["business"], applicant);
  auto withdrawn = api_call(node, "POST", "/applications/" + apps["business"] + "/withdraw",
                            applicant, {{"version", version_of(app)}});
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.raw;
  EXPECT_EQ(withdrawn.str("state"), "withdrawn");

  // §2.5: the rest are approved to pending_make.
  for (const auto& [type, id] : apps) {
    if (type == "business") {
      continue;
    }
    app = api_call(node, "GET", "/applications/" + id, reviewer);
    auto approved = api_call(node, "POST", "/applications/" + id + "/approve", reviewer,
                             {{"version", version_of(app)}});
    ASSERT_EQ(approved.status, 200) << type << ": " << approved.raw;
    EXPECT_EQ(approved.str("state"), "pending_make") << type;
  }

  // §3.1–3.2: apply for seal admin of the bureau; its superior (the city) approves.
  auto admin_app =
      api_call(node, "POST", "/applications", applicant,
               {{"kind", "seal_admin"}, {"org_id", bureau}, {"region_code", "330100"}});
  ASSERT_EQ(admin_app.status, 201) << admin_app.raw;
  auto admin_approved = api_call(node, "POST", "/applications/" + admin_app.str("id") + "/approve",
                                 reviewer, {{"version", version_of(admin_app)}});
  ASSERT_EQ(admin_approved.status, 200) << admin_approved.raw;
  EXPECT_EQ(admin_approved.str("state"), "completed");
  auto me = api_call(node, "GET", "/me", applicant);
  ASSERT_EQ(me.status, 200);
  EXPECT_NE(json::serialize(me.body.at("roles")).find("org_seal_admin"), std::string::npos)
      << json::serialize(me.body);

  // Every history is complete.
  apps["seal_admin"] = admin_app.str("id");
  std::map<std::string, std::string> histories;
  for (const auto& [type, id] : apps) {
    auto h = api_call(node, "GET", "/applications/" + id + "/history", applicant);
    ASSERT_EQ(h.status, 200) << h.raw;
    histories[type] = json::serialize(h.body);
  }
  for (const char* action : {"created", "returned", "edited", "resubmitted", "approved"}) {
    EXPECT_NE(histories["invoice"].find(action), std::string::npos) << action;
  }
  EXPECT_NE(histories["invoice"].find("印章名称与单位正式章需区分"), std::string::npos);
  EXPECT_NE(histories["business"].find("withdrawn"), std::string::npos);

  // Restart seald and Redis (AOF): nothing is lost.
  ASSERT_EQ(node.stop(), 0);
  node.redis().stop();
  node.redis().start();
  ASSERT_TRUE(node.start()) << node.log();
  std::string again = login(node, "1390000" + std::to_string(1001), "Walk-Passw0rd");
  for (const auto& [type, id] : apps) {
    auto h = api_call(node, "GET", "/applications/" + id + "/history", again);
    ASSERT_EQ(h.status, 200) << h.raw;
    EXPECT_EQ(json::serialize(h.body), histories[type]) << type << " survived the restart";
  }
  auto mine = api_call(node, "GET", "/applications?limit=100", again);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body.at("total").as_int64(), 7);

  // §2.5–§4.4 go on from here on the same node: making, apps, grants, lifecycle.
  std::map<std::string, std::string> pending;
  for (const auto& [type, id] : apps) {
    if (type != "business" && type != "seal_admin") {
      pending[type] = id;
    }
  }
  SealWalk walk{node, admin, again, reviewer, city, bureau, pending};
  walk_seals_and_grants(walk);
}

}  // namespace
}  // namespace seald::testing
