#pragma once

// What the /api/v1 handlers work with: the domain components, the audit log
// and a worker pool. Built once in main and passed by reference to every
// add_*_routes function; every member outlives the server.

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
};

}  // namespace seald::api
