// Bad input through the HTTP API changes nothing: an oversized upload, and
// two applicants racing for one seal name.

#include <latch>
#include <thread>

#include "tests/api/application_test_support.h"

namespace seald::api::testing {
namespace {

using BadInput = ApplicationApiTest;

TEST_F(BadInput, AnOversizedUploadIsRefusedAndStoresNothing) {
  Account alice = harness_.make_user("Alice");
  // Upload keys only: the whole DBSIZE also moves as short-lived code keys expire.
  auto upload_keys = [&] {
    return harness_.redis().cli({"--scan", "--pattern", "seald:uploads:*"});
  };
  std::string before = upload_keys();
  // Over the server's 1 MiB default body limit.
  std::string big = uploads::samples::pdf() + std::string(1536 * 1024, 'x');
  Reply r = harness_.call("POST", "/api/v1/uploads", alice.token, big);
  EXPECT_EQ(r.status, 413u) << r.body;
  EXPECT_FALSE(r.error().empty()) << "a JSON error: " << r.body;
  EXPECT_EQ(upload_keys(), before) << "nothing was stored";
}

TEST_F(BadInput, TwoApplicantsRacingForOneSealNameGetOneSeal) {
  Account a = harness_.make_user("A");
  Account b = harness_.make_user("B");
  for (int round = 0; round < 5; ++round) {
    std::string name = "并发印章" + std::to_string(round);
    std::latch start(2);
    Reply ra, rb;
    std::thread ta([&] {
      start.arrive_and_wait();
      ra = harness_.call_json("POST", "/api/v1/applications", a.token, new_seal_form(name));
    });
    std::thread tb([&] {
      start.arrive_and_wait();
      rb = harness_.call_json("POST", "/api/v1/applications", b.token, new_seal_form(name));
    });
    ta.join();
    tb.join();
    std::multiset<unsigned> statuses{ra.status, rb.status};
    EXPECT_EQ(statuses, (std::multiset<unsigned>{201u, 409u})) << ra.body << " / " << rb.body;
    const Reply& loser = ra.status == 409u ? ra : rb;
    EXPECT_EQ(loser.error(), "seal_name_taken");
  }
  // Exactly five applications exist, one per name.
  Reply mine_a = harness_.call("GET", "/api/v1/applications", a.token);
  Reply mine_b = harness_.call("GET", "/api/v1/applications", b.token);
  EXPECT_EQ(mine_a.json().at("total").as_int64() + mine_b.json().at("total").as_int64(), 5);
}

}  // namespace
}  // namespace seald::api::testing
