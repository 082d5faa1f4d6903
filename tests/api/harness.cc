#include "tests/api/harness.h"

#include <unistd.h>

#include <atomic>
#include <stdexcept>

#include "config/config.h"
#include "tests/support/softhsm_token.h"

namespace seald::api::testing {
namespace {

// Harnesses in one process share its SoftHSM token; their CAs need distinct keys.
unsigned next_ca_id() {
  static std::atomic<unsigned> next{0};
  return next++;
}

}  // namespace

Status CapturingSender::send(std::string_view mobile, identity::CodePurpose purpose,
                             const Secret& code) {
  std::lock_guard lock(mu_);
  codes_[std::string(mobile) + "/" + std::string(identity::to_string(purpose))] =
      std::string(code.reveal());
  return {};
}

std::string CapturingSender::last(std::string_view mobile, identity::CodePurpose purpose) {
  std::lock_guard lock(mu_);
  return codes_[std::string(mobile) + "/" + std::string(identity::to_string(purpose))];
}

Status ForwardingEffects::apply(const workflow::Application& application) {
  if (!handler) {
    return make_error("effects_not_configured", "no effect handler in this test");
  }
  return handler(application);
}

std::string resident_id(unsigned n) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  std::string seq = std::to_string(100 + n % 900);
  std::string body = "330106" + std::string("1985") + "0612" + seq;
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    sum += (body[i] - '0') * kWeights[i];
  }
  return body + "10X98765432"[sum % 11];
}

std::string mobile_number(unsigned n) {
  std::string digits = std::to_string(n);
  return "139" + std::string(8 - digits.size(), '0') + digits;
}

boost::json::value Reply::json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  return ec ? boost::json::value() : v;
}

std::string Reply::error() const {
  auto v = json();
  if (v.is_object() && v.as_object().contains("error") && v.at("error").is_string()) {
    return std::string(v.at("error").as_string());
  }
  return "";
}

ApiHarness::ApiHarness(const std::vector<AddRoutes>& route_groups) {
  redis::Endpoint endpoint;
  endpoint.port = redis_.port();
  pool_ = std::make_unique<redis::Pool>(endpoint, 8);
  identity::IdentityOptions options;
  options.password.time_cost = 1;  // fast argon2 for tests
  options.password.memory_kib = 256;
  options.codes.resend_interval = std::chrono::milliseconds(1);
  auto identity = identity::Identity::create(*pool_, sender_, options);
  if (!identity) {
    throw std::runtime_error("identity: " + identity.error().message);
  }
  identity_ = std::move(*identity);
  roles_ = std::make_unique<authz::RoleStore>(*pool_);
  authenticator_ = std::make_unique<authz::Authenticator>(identity_->sessions(), *roles_);
  orgs_ = std::make_unique<orgs::OrgStore>(*pool_);
  uploads_ = std::make_unique<uploads::UploadStore>(*pool_);
  workflow_ = std::make_unique<workflow::Workflow>(*pool_, &effects_);
  audit_ = std::make_unique<audit::AuditLog>(*pool_, audit::Durability{});
  apps_ = std::make_unique<apps::AppStore>(*pool_);
  // The process's SoftHSM token; each harness's CA gets its own key id, as
  // every harness has its own Redis.
  auto token = seald::testing::SoftHsmToken::instance().open_token().value();
  pki::CaOptions ca_options;
  ca_options.key_id =
      "harness-ca-" + std::to_string(::getpid()) + "-" + std::to_string(next_ca_id());
  ca_options.key_label = "seald CA " + ca_options.key_id;
  ca_ = pki::CertificateAuthority::open_or_create(token, *pool_, ca_options).value();
  seals_ = std::make_unique<seals::Seals>(*pool_, token, *ca_, *workflow_, *orgs_, *uploads_);
  grants_ = std::make_unique<grants::GrantStore>(*pool_);
  lifecycle_ = std::make_unique<seals::SealLifecycle>(
      *pool_, token, *ca_, *workflow_, *orgs_,
      [this](std::string_view code) { return grants_->remove_seal(code); });
  services_.reset(new Services{*identity_, *roles_, *authenticator_, *orgs_, *uploads_, *workflow_,
                               *audit_, workers_, *apps_, *seals_, *ca_, *lifecycle_, *grants_});
  server::Router router;
  for (const auto& add : route_groups) {
    add(router, *services_);
  }
  ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.io_threads = 2;
  auto server = server::Server::create(config, std::move(router), registry_);
  if (!server) {
    throw std::runtime_error("server: " + server.error().message);
  }
  server_ = std::move(*server);
  if (auto started = server_->start(); !started) {
    throw std::runtime_error("server start: " + started.error().message);
  }
}

ApiHarness::~ApiHarness() {
  server_->stop();
  workers_.join();
}

Account ApiHarness::make_user(const std::string& name, const std::vector<authz::Grant>& grants) {
  unsigned n = next_user_++;
  Account account{"", "", mobile_number(n), "Passw0rd-" + std::to_string(n)};
  auto purpose = identity::CodePurpose::register_account;
  // The harness' throttle is 1 ms; a new mobile per user never meets it.
  if (auto sent = identity_->codes().send(purpose, account.mobile); !sent) {
    throw std::runtime_error("send code: " + sent.error().message);
  }
  auto user = identity_->users().register_user({name, resident_id(n), account.mobile,
                                                Secret(account.password),
                                                sender_.last(account.mobile, purpose)});
  if (!user) {
    throw std::runtime_error("register: " + user.error().message);
  }
  account.user_id = user->id;
  for (const auto& grant : grants) {
    if (auto granted = roles_->grant(user->id, grant); !granted) {
      throw std::runtime_error("grant: " + granted.error().message);
    }
  }
  auto session = identity_->sessions().login(account.mobile, Secret(account.password));
  if (!session) {
    throw std::runtime_error("login: " + session.error().message);
  }
  account.token = std::string(session->token.reveal());
  return account;
}

Reply ApiHarness::call(const std::string& method, const std::string& target,
                       const std::string& token, const std::string& body,
                       const std::vector<std::pair<std::string, std::string>>& headers) {
  server::testing::HttpClient client(server_->port());
  server::testing::Headers all(headers.begin(), headers.end());
  if (!token.empty()) {
    all.emplace_back("Authorization", "Bearer " + token);
  }
  auto response = client.request(method, target, all, body);
  Reply reply;
  if (response) {
    reply.status = response->status;
    reply.body = response->body;
    reply.headers = response->headers;
  }
  return reply;
}

}  // namespace seald::api::testing
