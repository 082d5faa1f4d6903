#pragma once

// What the /api/v1 handlers work with: the domain components, the audit log
// and a worker pool. Built once in main and passed by reference to every
// add_*_routes function; every member outlives the server.

#include <functional>
#include <string_view>

#include <boost/asio/thread_pool.hpp>

#include "apps/app_store.h"
#include "audit/log.h"
#include "authz/authenticator.h"
#include "authz/role_store.h"
#include "grants/grant_store.h"
#include "identity/identity.h"
#include "orgs/org_store.h"
#include "pki/certificate_authority.h"
#include "seals/lifecycle.h"
#include "seals/seals.h"
#include "uploads/upload_store.h"
#include "workflow/workflow.h"

namespace seald::api {

// Tells this node's signing cache about a change it has just committed, so
// the node that served a revoke, ungrant or disable refuses the next sign at
// once; other nodes hear the Redis notice. Unset hooks do nothing (tests of
// the management API alone).
struct LocalChanges {
  std::function<void(std::string_view seal_code)> on_seal;
  std::function<void(std::string_view app_id)> on_app;
  std::function<void(std::string_view app_id)> on_grants;

  void seal(std::string_view code) const {
    if (on_seal)
      on_seal(code);
  }
  void app(std::string_view id) const {
    if (on_app)
      on_app(id);
  }
  void grants(std::string_view app_id) const {
    if (on_grants)
      on_grants(app_id);
  }
};

struct Services {
  identity::Identity& identity;
  authz::RoleStore& roles;
  authz::Authenticator& authenticator;
  orgs::OrgStore& orgs;
  uploads::UploadStore& uploads;
  workflow::Workflow& workflow;
  audit::AuditLog& audit;
  // Management handlers block on Redis and on argon2; they run here, never on
  // an I/O thread.
  boost::asio::thread_pool& workers;
  apps::AppStore& apps;
  // Seal making and records, and the CA that certifies seal keys.
  seals::Seals& seals;
  pki::CertificateAuthority& ca;
  // Report loss, restore, reissue, revoke; and which apps hold which seals.
  seals::SealLifecycle& lifecycle;
  grants::GrantStore& grants;
  LocalChanges changes = {};
};

}  // namespace seald::api
