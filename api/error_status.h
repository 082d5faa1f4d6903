#pragma once

// The one place where an error code becomes an HTTP status. Components return
// seald::Error values with stable codes; handlers answer with
// error_response(error) and never pick a status themselves.

#include "core/error.h"
#include "server/http.h"

namespace seald::api {

server::http::status status_for(const Error& error);

// {"error": code, "message": text} with status_for(error). A code the table
// does not know is a bug: it answers 500 with code "internal_error" and logs
// the original, so no unreviewed message reaches a client.
server::Response error_response(const Error& error);

}  // namespace seald::api
