#include <gtest/gtest.h>

#include "tests/api/application_test_support.h"

namespace seald::api::testing {
namespace {

using UploadApiTest = ApplicationApiTest;

std::string upload_keys(ApiHarness& h) {
  return h.redis().cli({"--scan", "--pattern", "seald:uploads:*"});
}

TEST_F(UploadApiTest, StoresAFileAndAnswersItsBytesToThoseAllowed) {
  Account alice = harness_.make_user("Alice");
  std::string pdf = uploads::samples::pdf();
  Reply created = harness_.call("POST", "/api/v1/uploads", alice.token, pdf,
                                {{"Content-Type", "image/png"}});  // the client's type is ignored
  ASSERT_EQ(created.status, 201u) << created.body;
  auto json = created.json().as_object();
  EXPECT_EQ(json.at("content_type").as_string(), "application/pdf");
  EXPECT_EQ(json.at("size").as_int64(), static_cast<std::int64_t>(pdf.size()));
  EXPECT_EQ(json.at("sha256").as_string().size(), 64u);
  std::string id(json.at("id").as_string());
  EXPECT_EQ(audited("upload.create", "ok"), 1u);

  Account reviewer = harness_.make_user("Rita", {authz::Grant::reviewer(city_.id)});
  Account op = harness_.make_user("Otto", {authz::Grant::operator_role()});
  Account admin = harness_.make_user("Sam", {authz::Grant::system_admin()});
  for (const Account* who : {&alice, &reviewer, &op, &admin}) {
    Reply got = harness_.call("GET", "/api/v1/uploads/" + id, who->token);
    EXPECT_EQ(got.status, 200u) << got.body;
    EXPECT_EQ(got.body, pdf);
    EXPECT_EQ(got.headers["content-type"], "application/pdf");
  }
}

TEST_F(UploadApiTest, OthersAreRefusedAndTheRefusalIsAudited) {
  Account alice = harness_.make_user("Alice");
  std::string id = upload(alice);
  Account bob = harness_.make_user("Bob");
  Account auditor = harness_.make_user("Ada", {authz::Grant::auditor()});
  Account seal_admin =
      harness_.make_user("Sal", {authz::Grant::org_seal_admin("330000", bureau_.id)});
  for (const Account* who : {&bob, &auditor, &seal_admin}) {
    Reply got = harness_.call("GET", "/api/v1/uploads/" + id, who->token);
    EXPECT_EQ(got.status, 403u);
    EXPECT_EQ(got.error(), "forbidden");
    EXPECT_EQ(got.body.find("%PDF"), std::string::npos);
  }
  EXPECT_EQ(audited("upload.read", "forbidden"), 3u);
  EXPECT_EQ(harness_.call("GET", "/api/v1/uploads/" + id).status, 401u);
  Reply missing =
      harness_.call("GET", "/api/v1/uploads/0123456789abcdef0123456789abcdef", alice.token);
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.error(), "upload_not_found");
}

TEST_F(UploadApiTest, RefusedUploadsStoreNothing) {
  Account alice = harness_.make_user("Alice");
  std::string before = upload_keys(harness_);
  Reply text = harness_.call("POST", "/api/v1/uploads", alice.token, "just some text, not a file",
                             {{"Content-Type", "application/pdf"}});
  EXPECT_EQ(text.status, 415u);
  EXPECT_EQ(text.error(), "upload_type_unsupported");
  Reply empty = harness_.call("POST", "/api/v1/uploads", alice.token, "");
  EXPECT_EQ(empty.status, 422u);
  EXPECT_EQ(empty.error(), "upload_empty");
  Reply anonymous = harness_.call("POST", "/api/v1/uploads", "", uploads::samples::pdf());
  EXPECT_EQ(anonymous.status, 401u);
  EXPECT_EQ(anonymous.error(), "unauthenticated");
  EXPECT_EQ(upload_keys(harness_), before);
  EXPECT_EQ(audited("upload.create", "ok"), 0u);
}

}  // namespace
}  // namespace seald::api::testing
