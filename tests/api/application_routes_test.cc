#include <gtest/gtest.h>

#include "tests/api/application_test_support.h"

namespace seald::api::testing {
namespace {

std::int64_t total_of(const Reply& r) {
  return r.json().as_object().at("total").as_int64();
}

TEST_F(ApplicationApiTest, FilesANewSealApplication) {
  Account alice = harness_.make_user("Alice");
  std::string scan = upload(alice);
  auto form = new_seal_form("杭州市市场监督管理局合同专用章");
  form["form_upload_id"] = scan;
  auto app = file(alice, form);
  EXPECT_EQ(app.at("kind").as_string(), "new");
  EXPECT_EQ(app.at("state").as_string(), "pending_review");
  EXPECT_EQ(app.at("applicant_id").as_string(), alice.user_id);
  EXPECT_EQ(app.at("payment_status").as_string(), "unpaid");
  EXPECT_EQ(app.at("version").as_int64(), 1);
  EXPECT_EQ(app.at("form").as_object().at("seal_name").as_string(),
            "杭州市市场监督管理局合同专用章");
  EXPECT_EQ(app.at("form").as_object().at("form_upload_id").as_string(), scan);
  EXPECT_EQ(audited("application.create", "ok"), 1u);

  Reply got = harness_.call("GET", path(id_of(app)), alice.token);
  ASSERT_EQ(got.status, 200u);
  EXPECT_EQ(got.json().as_object(), app);
  Reply history = harness_.call("GET", path(id_of(app), "/history"), alice.token);
  ASSERT_EQ(history.status, 200u);
  auto items = history.json().as_object().at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].as_object().at("action").as_string(), "created");
  EXPECT_TRUE(items[0].as_object().at("from").is_null());
  EXPECT_EQ(items[0].as_object().at("to").as_string(), "pending_review");
}

TEST_F(ApplicationApiTest, RefusedFormsCreateNothing) {
  Account alice = harness_.make_user("Alice");
  Account bob = harness_.make_user("Bob");
  std::string bobs_scan = upload(bob);
  file(alice, new_seal_form("合同专用章"));

  auto expect = [&](boost::json::object form, unsigned status, const std::string& code) {
    Reply r = harness_.call_json("POST", "/api/v1/applications", alice.token, form);
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.error(), code) << r.body;
  };
  auto unknown_org = new_seal_form("甲章");
  unknown_org["org_id"] = "999";
  expect(unknown_org, 422, "org_not_found");
  auto unknown_approver = new_seal_form("乙章");
  unknown_approver["approving_org_id"] = "998";
  expect(unknown_approver, 422, "org_not_found");
  auto foreign_upload = new_seal_form("丙章");
  foreign_upload["form_upload_id"] = bobs_scan;
  expect(foreign_upload, 422, "upload_not_found");
  auto no_type = new_seal_form("丁章");
  no_type.erase("seal_type");
  expect(no_type, 422, "field_missing");
  auto bad_type = new_seal_form("戊章");
  bad_type["seal_type"] = "golden";
  expect(bad_type, 422, "field_invalid");
  auto typo = new_seal_form("己章");
  typo["seal_nmae"] = "x";
  expect(typo, 422, "unknown_field");
  expect(new_seal_form("合同专用章"), 409, "seal_name_taken");
  expect(new_seal_form("合同专用章 "), 409, "seal_name_taken");  // same name once normalised
  Reply anonymous = harness_.call_json("POST", "/api/v1/applications", "", new_seal_form("庚章"));
  EXPECT_EQ(anonymous.status, 401u);

  Reply mine = harness_.call("GET", "/api/v1/applications", alice.token);
  EXPECT_EQ(total_of(mine), 1);
  EXPECT_EQ(audited("application.create", "ok"), 1u);
  // The refused names were not claimed.
  file(bob, new_seal_form("甲章"));
}

TEST_F(ApplicationApiTest, SealAdminIsDecidedByTheScopeOrgsSuperior) {
  Account alice = harness_.make_user("Alice");
  auto app =
      file(alice, {{"kind", "seal_admin"}, {"org_id", bureau_.id}, {"region_code", "330100"}});
  EXPECT_EQ(app.at("form").as_object().at("approving_org_id").as_string(), city_.id);

  Reply root = harness_.call_json(
      "POST", "/api/v1/applications", alice.token,
      {{"kind", "seal_admin"}, {"org_id", province_.id}, {"region_code", "330000"}});
  EXPECT_EQ(root.status, 422u);
  EXPECT_EQ(root.error(), "approving_org_required");
  // Naming the approving org explicitly works for a root too.
  Account other = harness_.make_user("Other");
  file(other, {{"kind", "seal_admin"},
               {"org_id", province_.id},
               {"approving_org_id", province_.id},
               {"region_code", "330000"}});
}

TEST_F(ApplicationApiTest, OnlyThoseInvolvedMayReadAnApplication) {
  Account alice = harness_.make_user("Alice");
  auto app = file(alice, new_seal_form("合同专用章"));
  std::string id = id_of(app);
  Account city_reviewer = harness_.make_user("Rita", {authz::Grant::reviewer(city_.id)});
  Account op = harness_.make_user("Otto", {authz::Grant::operator_role()});
  Account admin = harness_.make_user("Sam", {authz::Grant::system_admin()});
  for (const Account* who : {&alice, &city_reviewer, &op, &admin}) {
    EXPECT_EQ(harness_.call("GET", path(id), who->token).status, 200u);
    EXPECT_EQ(harness_.call("GET", path(id, "/history"), who->token).status, 200u);
  }
  Account province_reviewer = harness_.make_user("Pat", {authz::Grant::reviewer(province_.id)});
  Account auditor = harness_.make_user("Ada", {authz::Grant::auditor()});
  Account bob = harness_.make_user("Bob");
  for (const Account* who : {&province_reviewer, &auditor, &bob}) {
    Reply r = harness_.call("GET", path(id), who->token);
    EXPECT_EQ(r.status, 403u);
    EXPECT_EQ(r.error(), "forbidden");
    EXPECT_EQ(harness_.call("GET", path(id, "/history"), who->token).status, 403u);
  }
  EXPECT_EQ(audited("application.read", "forbidden"), 3u);
  EXPECT_EQ(audited("application.history", "forbidden"), 3u);
  EXPECT_EQ(harness_.call("GET", path(id)).status, 401u);
  Reply missing = harness_.call("GET", path("424242"), alice.token);
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.error(), "application_not_found");
  EXPECT_EQ(harness_.call("GET", path("no.such:id"), alice.token).status, 404u);
}

TEST_F(ApplicationApiTest, ListsTheCallersOwnNewestFirstWithFilters) {
  Account alice = harness_.make_user("Alice");
  Account bob = harness_.make_user("Bob");
  auto first = file(alice, new_seal_form("合同专用章"));
  auto second = file(alice, {{"kind", "seal_admin"},
                             {"org_id", bureau_.id},
                             {"approving_org_id", city_.id},
                             {"region_code", "330100"}});
  file(bob, new_seal_form("财务专用章"));

  Reply all = harness_.call("GET", "/api/v1/applications", alice.token);
  ASSERT_EQ(all.status, 200u);
  auto items = all.json().as_object().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].as_object().at("id").as_string(), id_of(second).c_str());
  EXPECT_EQ(items[1].as_object().at("id").as_string(), id_of(first).c_str());
  EXPECT_EQ(all.json().as_object().at("limit").as_int64(), 20);

  Reply news = harness_.call("GET", "/api/v1/applications?kind=new", alice.token);
  EXPECT_EQ(total_of(news), 1);
  Reply pending = harness_.call("GET", "/api/v1/applications?state=pending_review", alice.token);
  EXPECT_EQ(total_of(pending), 2);
  Reply returned = harness_.call("GET", "/api/v1/applications?state=returned", alice.token);
  EXPECT_EQ(total_of(returned), 0);
  Reply page = harness_.call("GET", "/api/v1/applications?offset=1&limit=1", alice.token);
  EXPECT_EQ(total_of(page), 2);
  ASSERT_EQ(page.json().as_object().at("items").as_array().size(), 1u);
  EXPECT_EQ(page.json().as_object().at("items").as_array()[0].as_object().at("id").as_string(),
            id_of(first).c_str());

  EXPECT_EQ(harness_.call("GET", "/api/v1/applications?kind=stamp", alice.token).error(),
            "field_invalid");
  EXPECT_EQ(harness_.call("GET", "/api/v1/applications?limit=500", alice.token).status, 400u);
  EXPECT_EQ(harness_.call("GET", "/api/v1/applications").status, 401u);
}

TEST_F(ApplicationApiTest, ReviewQueueBelongsToTheApprovingOrgsReviewers) {
  Account alice = harness_.make_user("Alice");
  auto app = file(alice, new_seal_form("合同专用章"));
  Account city_reviewer = harness_.make_user("Rita", {authz::Grant::reviewer(city_.id)});
  Reply queue =
      harness_.call("GET", "/api/v1/review-queue?org_id=" + city_.id, city_reviewer.token);
  ASSERT_EQ(queue.status, 200u) << queue.body;
  EXPECT_EQ(total_of(queue), 1);
  EXPECT_EQ(queue.json().as_object().at("items").as_array()[0].as_object().at("id").as_string(),
            id_of(app).c_str());

  Reply other_org =
      harness_.call("GET", "/api/v1/review-queue?org_id=" + province_.id, city_reviewer.token);
  EXPECT_EQ(other_org.status, 403u);
  Account admin = harness_.make_user("Sam", {authz::Grant::system_admin()});
  EXPECT_EQ(harness_.call("GET", "/api/v1/review-queue?org_id=" + city_.id, admin.token).status,
            403u);
  EXPECT_EQ(audited("application.review_queue", "forbidden"), 2u);
  Reply no_org = harness_.call("GET", "/api/v1/review-queue", city_reviewer.token);
  EXPECT_EQ(no_org.status, 422u);
  EXPECT_EQ(no_org.error(), "field_missing");
  EXPECT_EQ(harness_.call("GET", "/api/v1/review-queue?org_id=" + city_.id).status, 401u);
}

TEST_F(ApplicationApiTest, MakeQueueIsForOperators) {
  Account alice = harness_.make_user("Alice");
  auto app = file(alice, new_seal_form("合同专用章"));
  Account city_reviewer = harness_.make_user("Rita", {authz::Grant::reviewer(city_.id)});
  Account op = harness_.make_user("Otto", {authz::Grant::operator_role()});
  EXPECT_EQ(total_of(harness_.call("GET", "/api/v1/make-queue", op.token)), 0);
  Reply approved = harness_.call_json("POST", path(id_of(app), "/approve"), city_reviewer.token,
                                      {{"version", version_of(app)}});
  ASSERT_EQ(approved.status, 200u) << approved.body;
  Reply queue = harness_.call("GET", "/api/v1/make-queue", op.token);
  ASSERT_EQ(queue.status, 200u);
  EXPECT_EQ(total_of(queue), 1);
  EXPECT_EQ(harness_.call("GET", "/api/v1/make-queue", city_reviewer.token).status, 403u);
  EXPECT_EQ(harness_.call("GET", "/api/v1/make-queue", alice.token).status, 403u);
  EXPECT_EQ(audited("application.make_queue", "forbidden"), 2u);
  EXPECT_EQ(harness_.call("GET", "/api/v1/make-queue").status, 401u);
}

}  // namespace
}  // namespace seald::api::testing
