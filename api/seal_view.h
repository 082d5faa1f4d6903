#pragma once

// Seals as JSON, the way the manual's seal lists show them: code, name,
// type, image, usage, validity, status, enable time — and the apps that hold
// grants on each (looked up in one pipelined read for a whole page).

#include <vector>

#include <boost/json/object.hpp>

#include "api/request_parts.h"
#include "api/services.h"
#include "core/error.h"
#include "seals/seal.h"

namespace seald::api {

// One seal with its grant holders.
Result<boost::json::object> seal_json(Services& services, const seals::Seal& seal);

// {"items": [...], "total", "offset", "limit"} for a page of seals.
Result<boost::json::object> seal_page_json(Services& services,
                                           const std::vector<seals::Seal>& items, std::size_t total,
                                           const Paging& paging);

// Every enabled ukey app: they hold every ukey seal without a grant.
// Registered apps number in the hundreds, so one search covers them all.
inline constexpr std::size_t kAllApps = 100000;
Result<std::vector<apps::App>> ukey_apps(Services& services);

// The app as it appears in grant lists: id, client_id, name, units, kind, status.
boost::json::object app_summary_json(const apps::App& app);

}  // namespace seald::api
