#pragma once

// What the seal lifecycle tests share: a subscriber on seald:changes (as a
// signing node's cache listens), a stand-in for the grants component that
// records its calls and fails on demand, and openssl's verdict on a
// certificate against the CA's current CRL.

#include <hiredis/hiredis.h>

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "seals/lifecycle.h"
#include "tests/seals/seal_fixture.h"

namespace seald::seals::test {

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};

class Subscriber {
 public:
  explicit Subscriber(unsigned short port);
  // The next notice as JSON; null when none came in time.
  boost::json::value next();
  // True when nothing arrives within a short wait.
  bool quiet();

 private:
  std::unique_ptr<redisContext, ContextDeleter> ctx_;
};

// {"type":"seal","code":...,"status":...,"version":N}
boost::json::value notice(const Seal& seal, const char* status, std::int64_t version);

// Stands in for the grants component: records each call and fails on demand.
struct FakeGrants {
  std::vector<std::string> calls;
  bool fail = false;

  SealLifecycle::RemoveGrants callback();
};

class SealLifecycleTest : public SealTest {
 protected:
  SealLifecycleTest();

  static LifecycleRequest request(LifecycleAction action, std::int64_t expected_version = 0);
  // The seal's record and the cleanup set, to prove a refusal changed nothing.
  std::string record(const Seal& seal);
  // openssl verify -crl_check of the certificate against the CA's current
  // CRL (which must itself verify with openssl crl -verify).
  CommandResult verify_with_crl(const std::vector<std::uint8_t>& cert, const std::string& name);
  // openssl crl -text of the current CRL.
  std::string crl_text();

  FakeGrants grants_;
  SealLifecycle lifecycle_;
  std::string ca_file_;
};

// Upper-case hex, as openssl prints serials.
std::string upper(std::string hex);

}  // namespace seald::seals::test
