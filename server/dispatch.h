#pragma once

// From a request read whole to its handler: match the route, fill in the
// context, call the handler with a Responder — or answer at once when no
// route fits (404, 405 with Allow, 400). No socket I/O happens here.

#include <memory>

#include "server/exchange.h"
#include "server/handler.h"
#include "server/session.h"

namespace seald::server {

void dispatch(const std::shared_ptr<Exchange>& exchange, SessionShared& shared,
              std::shared_ptr<ResponseSink> sink);

// For a request refused before it was read whole (413, 431): labels its
// metrics with the route its start line names, if any.
void label_route(Exchange& exchange, SessionShared& shared);

}  // namespace seald::server
