#pragma once

// The JSON a client sees of an organisation; the application routes show
// orgs the same way.

#include <boost/json/object.hpp>

#include "orgs/organisation.h"

namespace seald::api {

// {id, name, credit_code, region, parent_id, version, created_ms, updated_ms};
// parent_id is null for a root.
boost::json::object org_json(const orgs::Organisation& org);

}  // namespace seald::api
