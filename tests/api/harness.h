#pragma once

// An in-process seald API for tests: a real redis-server, the real domain
// components on it, the routes under test, and the real HTTP server on
// 127.0.0.1 (a free port). Users are made straight through the domain layer
// (registration with a captured verification code, then login), so a route
// test needs only the routes it tests.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/thread_pool.hpp>
#include <boost/json.hpp>

#include "api/services.h"
#include "authz/role.h"
#include "identity/code_sender.h"
#include "metrics/registry.h"
#include "server/server.h"
#include "tests/server/http_client.h"
#include "tests/support/redis_server.h"

namespace seald::api::testing {

// Keeps the last code sent to each (mobile, purpose).
class CapturingSender : public identity::CodeSender {
 public:
  Status send(std::string_view mobile, identity::CodePurpose purpose, const Secret& code) override;
  std::string last(std::string_view mobile, identity::CodePurpose purpose);

 private:
  std::mutex mu_;
  std::map<std::string, std::string> codes_;
};

// Effects whose behaviour a test sets (the real ones live in api/).
class ForwardingEffects : public workflow::Effects {
 public:
  Status apply(const workflow::Application& application) override;
  std::function<Status(const workflow::Application&)> handler;
};

// A valid 18-character resident ID number (GB 11643) for sequence n.
std::string resident_id(unsigned n);
// A valid mainland mobile number for sequence n.
std::string mobile_number(unsigned n);

struct Account {
  std::string user_id;
  std::string token;
  std::string mobile;
  std::string password;
};

struct Reply {
  unsigned status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  boost::json::value json() const;  // null when the body is not JSON
  std::string error() const;        // the "error" member, or ""
};

class ApiHarness {
 public:
  using AddRoutes = std::function<void(server::Router&, Services&)>;
  explicit ApiHarness(const std::vector<AddRoutes>& route_groups);
  ~ApiHarness();

  // Registers and logs in a new user holding the given grants.
  Account make_user(const std::string& name, const std::vector<authz::Grant>& grants = {});

  Reply call(const std::string& method, const std::string& target, const std::string& token = "",
             const std::string& body = "",
             const std::vector<std::pair<std::string, std::string>>& headers = {});
  Reply call_json(const std::string& method, const std::string& target, const std::string& token,
                  const boost::json::value& body) {
    return call(method, target, token, boost::json::serialize(body),
                {{"Content-Type", "application/json"}});
  }

  seald::testing::RedisServer& redis() { return redis_; }
  Services& services() { return *services_; }
  CapturingSender& sender() { return sender_; }
  ForwardingEffects& effects() { return effects_; }
  std::uint16_t port() const { return server_->port(); }

 private:
  seald::testing::RedisServer redis_;
  std::unique_ptr<redis::Pool> pool_;
  CapturingSender sender_;
  ForwardingEffects effects_;
  std::unique_ptr<identity::Identity> identity_;
  std::unique_ptr<authz::RoleStore> roles_;
  std::unique_ptr<authz::Authenticator> authenticator_;
  std::unique_ptr<orgs::OrgStore> orgs_;
  std::unique_ptr<uploads::UploadStore> uploads_;
  std::unique_ptr<workflow::Workflow> workflow_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<apps::AppStore> apps_;
  std::unique_ptr<pki::CertificateAuthority> ca_;
  std::unique_ptr<seals::Seals> seals_;
  std::unique_ptr<grants::GrantStore> grants_;
  std::unique_ptr<seals::SealLifecycle> lifecycle_;
  boost::asio::thread_pool workers_{2};
  std::unique_ptr<Services> services_;
  metrics::Registry registry_;
  std::unique_ptr<server::Server> server_;
  unsigned next_user_ = 1;
};

}  // namespace seald::api::testing
