#include "server/node.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include <spdlog/spdlog.h>
#include <boost/asio/thread_pool.hpp>

#include "api/routes.h"
#include "api/services.h"
#include "api/workflow_effects.h"
#include "audit/log.h"
#include "authz/authenticator.h"
#include "authz/bootstrap.h"
#include "authz/role_store.h"
#include "config/redis_endpoint.h"
#include "grants/grant_store.h"
#include "hsm/module.h"
#include "hsm/token.h"
#include "identity/code_sender.h"
#include "identity/identity.h"
#include "metrics/registry.h"
#include "orgs/org_store.h"
#include "redis/pool.h"
#include "seals/lifecycle.h"
#include "server/periodic_task.h"
#include "server/readiness_monitor.h"
#include "server/router.h"
#include "server/server.h"
#include "server/signing_stack.h"
#include "uploads/upload_store.h"
#include "workflow/workflow.h"

namespace seald::server {
namespace {

// The PIN is read when a login needs it and wiped right after. From a file it
// is re-read each time; from the environment it is read once and the variable
// is removed, so child processes cannot inherit it.
hsm::PinSource make_pin_source(const HsmConfig& hsm) {
  if (!hsm.pin_file.empty()) {
    return [hsm] { return load_hsm_pin(hsm); };
  }
  auto pin = load_hsm_pin(hsm);
  ::unsetenv(hsm.pin_env.c_str());
  if (!pin) {
    return [error = pin.error()]() -> Result<Secret> { return error; };
  }
  auto kept = std::make_shared<const Secret>(std::move(*pin));
  return [kept]() -> Result<Secret> { return *kept; };
}

int fail(const char* what, const Error& e) {
  spdlog::critical("{}: {} ({})", what, e.message, e.code);
  return 1;
}

// Writes the bootstrap admin's credentials to a 0600 file in the data folder
// and logs the file's path, never the password. Redis may still be starting,
// so this retries for a while before giving up (the node serves regardless).
void ensure_bootstrap_admin(const Config& config, redis::Pool& pool, identity::Users& users,
                            authz::RoleStore& roles) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    auto made = authz::ensure_bootstrap_admin(pool, users, roles);
    if (!made) {
      if (attempt == 0) {
        spdlog::warn("bootstrap admin not checked yet: {} ({}); retrying", made.error().message,
                     made.error().code);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      continue;
    }
    if (!made->has_value()) {
      return;  // a system admin exists
    }
    std::filesystem::create_directories(config.data_dir);
    std::string path = config.data_dir + "/bootstrap-admin.txt";
    {
      ::umask(077);
      std::ofstream out(path, std::ios::trunc);
      out << "login: " << (*made)->login_name << "\npassword: " << (*made)->password.reveal()
          << "\n";
    }
    ::chmod(path.c_str(), 0600);
    spdlog::warn("created the bootstrap system admin '{}'; its password is in {}",
                 (*made)->login_name, path);
    return;
  }
  spdlog::error("bootstrap admin not ensured: Redis did not answer; restart seald to retry");
}

}  // namespace

int run_node(const Config& config) {
  spdlog::info("seald starting (config: data_dir={}, hsm module={}, redis={}:{})", config.data_dir,
               config.hsm.module, config.redis.host, config.redis.port);

  auto module = hsm::Module::load(config.hsm.module);
  if (!module) {
    return fail("cannot load the PKCS#11 module", module.error());
  }
  auto selector = config.hsm.token_uri.empty()
                      ? hsm::TokenSelector::by_label(config.hsm.token_label)
                      : hsm::TokenSelector::by_uri(config.hsm.token_uri);
  auto token = hsm::Token::open(*module, selector, make_pin_source(config.hsm));
  if (!token) {
    return fail("cannot open the HSM token", token.error());
  }
  spdlog::info("HSM: logged in to {}", selector.describe());

  auto endpoint = redis_endpoint(config.redis);
  if (!endpoint) {
    return fail("cannot read the Redis password", endpoint.error());
  }
  // Redis may come up after us; readiness reports it until it does.
  redis::Endpoint subscriber = *endpoint;  // the signing cache's pub/sub connection
  auto redis = std::make_shared<redis::Pool>(std::move(*endpoint), config.redis.pool_size);

  // The development sender logs codes; a real SMS gateway plugs in here.
  identity::LogCodeSender code_sender;
  auto identity = identity::Identity::create(*redis, code_sender, identity::IdentityOptions{});
  if (!identity) {
    return fail("cannot set up identity", identity.error());
  }
  authz::RoleStore roles(*redis);
  authz::Authenticator authenticator((*identity)->sessions(), roles);
  orgs::OrgStore orgs(*redis);
  uploads::UploadStore uploads(*redis);
  api::WorkflowEffects effects(roles, orgs);
  workflow::Workflow workflow(*redis, &effects);
  audit::Durability durability;
  durability.wait_for_replicas = config.redis.durability == "wait";
  durability.replicas = config.redis.wait_replicas;
  durability.wait_timeout = std::chrono::milliseconds(config.redis.wait_timeout_ms);
  audit::AuditLog audit_log(*redis, durability);
  boost::asio::thread_pool workers(4);
  apps::AppStore apps(*redis);
  // The CA's key is on the token opened above; the first node to start
  // creates it, the others find it.
  auto ca = pki::CertificateAuthority::open_or_create(*token, *redis);
  if (!ca) {
    return fail("cannot open the certificate authority", ca.error());
  }
  seals::Seals seals(*redis, *token, **ca, workflow, orgs, uploads);
  grants::GrantStore grants(*redis);
  seals::SealLifecycle lifecycle(
      *redis, *token, **ca, workflow, orgs,
      [&grants](std::string_view code) { return grants.remove_seal(code); });
  metrics::Registry registry;
  SigningStack signing(config.signing, *redis, std::move(subscriber), audit_log, apps, seals,
                       *token, registry, (*ca)->certificate_der());
  api::Services services{
      **identity, roles, authenticator, orgs, uploads,   workflow, audit_log,
      workers,    apps,  seals,         **ca, lifecycle, grants,   signing.local_changes()};
  // Seals expire by the clock, not by a request: mark them (and publish the
  // change) once a minute, and finish any revocation clean-up left pending.
  PeriodicTask housekeeping(
      [&lifecycle] {
        auto expired = lifecycle.maintain(std::chrono::system_clock::now());
        if (!expired) {
          spdlog::warn("seal housekeeping: {}", expired.error().message);
        } else if (*expired > 0) {
          spdlog::info("seal housekeeping: {} seal(s) expired", *expired);
        }
      },
      std::chrono::seconds(60));

  ensure_bootstrap_admin(config, *redis, (*identity)->users(), roles);

  ReadinessMonitor readiness({{"hsm", [token = *token] { return token->check(); }},
                              {"redis", [redis] { return redis->ping(); }}},
                             std::chrono::milliseconds(500));

  Router router;
  api::add_account_routes(router, services);
  api::add_org_routes(router, services);
  api::add_application_routes(router, services);
  api::add_audit_routes(router, services);
  api::add_seal_routes(router, services);
  api::add_seal_lifecycle_routes(router, services);
  api::add_grant_routes(router, services);
  api::add_grant_list_routes(router, services);
  api::add_app_routes(router, services);
  api::add_ca_routes(router, **ca);
  api::add_openapi_route(router);
  api::add_token_route(router, signing.services());
  api::add_sign_routes(router, signing.services());
  api::add_csc_routes(router, signing.services());
  auto server = Server::create(config.server, std::move(router), registry, readiness.checks());
  if (!server) {
    return fail("invalid server configuration", server.error());
  }
  if (auto started = (*server)->start(); !started) {
    return fail("cannot listen", started.error());
  }
  (*server)->run_until_signal();
  server->reset();  // answers every request in flight before the services go
  workers.join();
  spdlog::info("seald stopped");
  return 0;
}

}  // namespace seald::server
