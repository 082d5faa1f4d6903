#pragma once

// The /api/v1 route groups. Each adds its routes to the router; main calls
// them all. docs/api.md is the contract they implement, and
// api/openapi.json describes every route (a test checks the two agree).

#include "api/services.h"
#include "api/signing_services.h"
#include "server/router.h"

namespace seald::pki {
class CertificateAuthority;
}

namespace seald::api {

void add_account_routes(server::Router& router, Services& services);      // auth, me, users, roles
void add_org_routes(server::Router& router, Services& services);          // orgs
void add_application_routes(server::Router& router, Services& services);  // applications, uploads
void add_audit_routes(server::Router& router, Services& services);        // audit
void add_openapi_route(server::Router& router);                           // openapi.json
void add_ca_routes(server::Router& router, pki::CertificateAuthority& ca);  // ca certificate, crl
void add_app_routes(server::Router& router, Services& services);            // registered apps
void add_seal_routes(server::Router& router, Services& services);  // seal making, seals, lists
void add_seal_lifecycle_routes(server::Router& router, Services& services);  // loss ... revoke
void add_grant_routes(server::Router& router, Services& services);           // grant, ungrant, sync
void add_grant_list_routes(server::Router& router, Services& services);      // who holds what

// The application-facing door: /oauth2/token, /api/v1/sign, /api/v1/verify.
void add_token_route(server::Router& router, SigningServices& services);
void add_sign_routes(server::Router& router, SigningServices& services);
// The Cloud Signature Consortium API (v2 and v1.0.4) over the same signing
// path: /csc/v2/... and /csc/v1/... (docs/csc.md).
void add_csc_routes(server::Router& router, SigningServices& services);

}  // namespace seald::api
