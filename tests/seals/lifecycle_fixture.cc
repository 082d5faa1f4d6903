#include "tests/seals/lifecycle_fixture.h"

#include <cctype>

#include "seals/seal_store.h"

namespace seald::seals::test {

Subscriber::Subscriber(unsigned short port) : ctx_(redisConnect("127.0.0.1", port)) {
  EXPECT_TRUE(ctx_ && ctx_->err == 0);
  timeval timeout{5, 0};
  redisSetTimeout(ctx_.get(), timeout);
  void* ack = redisCommand(ctx_.get(), "SUBSCRIBE seald:changes");
  EXPECT_NE(ack, nullptr);
  freeReplyObject(ack);
}

boost::json::value Subscriber::next() {
  void* raw = nullptr;
  if (redisGetReply(ctx_.get(), &raw) != REDIS_OK || raw == nullptr) {
    return nullptr;
  }
  auto* r = static_cast<redisReply*>(raw);
  boost::json::value out;
  if (r->type == REDIS_REPLY_ARRAY && r->elements == 3) {
    out = boost::json::parse(std::string_view(r->element[2]->str, r->element[2]->len));
  }
  freeReplyObject(raw);
  return out;
}

bool Subscriber::quiet() {
  timeval shortly{0, 300000};
  redisSetTimeout(ctx_.get(), shortly);
  void* raw = nullptr;
  bool nothing = redisGetReply(ctx_.get(), &raw) != REDIS_OK;
  if (raw != nullptr) {
    freeReplyObject(raw);
  }
  return nothing;
}

boost::json::value notice(const Seal& seal, const char* status, std::int64_t version) {
  return boost::json::object{
      {"type", "seal"}, {"code", seal.code}, {"status", status}, {"version", version}};
}

SealLifecycle::RemoveGrants FakeGrants::callback() {
  return [this](std::string_view code) -> Status {
    calls.emplace_back(code);
    if (fail) {
      return make_error("redis_unavailable", "injected: the grants store is down");
    }
    return {};
  };
}

SealLifecycleTest::SealLifecycleTest()
    : lifecycle_(*pool_, token_, *ca_, *workflow_, *orgs_, grants_.callback()) {
  ca_file_ = write("ca.pem", ca_->certificate_pem());
}

LifecycleRequest SealLifecycleTest::request(LifecycleAction action, std::int64_t expected_version) {
  return {action, expected_version, "user-admin", "测试", std::nullopt};
}

std::string SealLifecycleTest::record(const Seal& seal) {
  return redis_.cli({"HGETALL", seal_key(seal.code)}) + "|" +
         redis_.cli({"SMEMBERS", "seald:seals:cleanup"});
}

CommandResult SealLifecycleTest::verify_with_crl(const std::vector<std::uint8_t>& cert,
                                                 const std::string& name) {
  auto crl = ca_->crl_der();
  EXPECT_TRUE(crl);
  std::string der_file = write(name + ".crl.der", std::string(crl->begin(), crl->end()));
  std::string crl_file = dir_.file(name + ".crl.pem");
  auto check = run({"openssl", "crl", "-inform", "DER", "-in", der_file, "-CAfile", ca_file_,
                    "-verify", "-out", crl_file});
  EXPECT_EQ(check.status, 0) << check.output;
  std::string cert_file = write(name + ".pem", certificate_pem(cert));
  return run(
      {"openssl", "verify", "-crl_check", "-CAfile", ca_file_, "-CRLfile", crl_file, cert_file});
}

std::string SealLifecycleTest::crl_text() {
  auto crl = ca_->crl_der();
  EXPECT_TRUE(crl);
  std::string file = write("text.crl.der", std::string(crl->begin(), crl->end()));
  return run({"openssl", "crl", "-inform", "DER", "-in", file, "-noout", "-text"}).output;
}

std::string upper(std::string hex) {
  for (auto& c : hex) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return hex;
}

}  // namespace seald::seals::test
