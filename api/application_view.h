#pragma once

// The JSON forms of applications and their history, as docs/api.md gives
// them. Form fields the applicant left empty are omitted.

#include <cstddef>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "workflow/application.h"

namespace seald::api {

boost::json::object application_json(const workflow::Application& application);
boost::json::object form_json(const workflow::ApplicationForm& form);
boost::json::object history_json(const std::vector<workflow::HistoryEntry>& history);
// {"items", "total", "offset", "limit"}
boost::json::object application_page_json(const workflow::Page& page, std::size_t offset,
                                          std::size_t limit);

}  // namespace seald::api
