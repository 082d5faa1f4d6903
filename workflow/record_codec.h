#pragma once

// How an application and its history entries look in Redis: the record is a
// flat HASH (one field per attribute, empty form fields left out), a history
// entry is one small JSON object. Decoding refuses anything it cannot read
// with application_corrupt rather than guessing.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "workflow/application.h"

namespace seald::workflow {

using FieldList = std::vector<std::pair<std::string, std::string>>;

// Every field but "id", which the commit script sets (it may allocate it).
FieldList encode_application(const Application& app, std::string_view name_key);
Result<Application> decode_application(const std::map<std::string, std::string>& fields);

std::string encode_history(const HistoryEntry& entry);
Result<HistoryEntry> decode_history(std::string_view json);

}  // namespace seald::workflow
