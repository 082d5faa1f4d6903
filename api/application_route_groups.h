#pragma once

// add_application_routes (api/routes.h) is split by resource; these are its
// parts, each in its own file.

#include "api/services.h"
#include "server/router.h"

namespace seald::api {

void add_upload_routes(server::Router& router, Services& services);  // upload_routes.cc
void add_application_read_routes(server::Router& router,
                                 Services& services);  // application_routes.cc
void add_application_change_routes(server::Router& router,
                                   Services& services);  // application_changes.cc
void add_application_printout_route(server::Router& router,
                                    Services& services);  // application_printout.cc

}  // namespace seald::api
