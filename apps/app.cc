#include "apps/app.h"

namespace seald::apps {

std::string_view to_string(AppKind kind) {
  return kind == AppKind::cloud ? "cloud" : "ukey";
}

std::string_view to_string(AppStatus status) {
  return status == AppStatus::enabled ? "enabled" : "disabled";
}

std::optional<AppKind> kind_from_string(std::string_view s) {
  if (s == "cloud") {
    return AppKind::cloud;
  }
  if (s == "ukey") {
    return AppKind::ukey;
  }
  return std::nullopt;
}

std::optional<SearchField> search_field_from_string(std::string_view s) {
  if (s == "name") {
    return SearchField::name;
  }
  if (s == "competent_unit") {
    return SearchField::competent_unit;
  }
  if (s == "developer_unit") {
    return SearchField::developer_unit;
  }
  return std::nullopt;
}

}  // namespace seald::apps
