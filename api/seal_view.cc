#include "api/seal_view.h"

#include <string>
#include <unordered_map>

namespace seald::api {
namespace {

namespace json = boost::json;

json::object seal_fields(const seals::Seal& s) {
  json::array previous;
  for (const auto& cert : s.previous_certificates) {
    previous.push_back(json::value(cert.serial_hex));
  }
  return {
      {"code", s.code},
      {"name", s.name},
      {"org_id", s.org_id},
      {"type", s.type},
      {"type_name", seals::type_display_name(s.type)},
      {"usage", s.usage},
      {"validity", s.validity},
      {"status", seals::to_string(s.status)},
      {"application_id", s.application_id},
      {"applicant_id", s.applicant_id},
      {"key_algorithm", s.key_algorithm},
      {"certificate_serial", s.certificate ? s.certificate->serial_hex : std::string()},
      {"previous_certificate_serials", std::move(previous)},
      {"not_before_ms", s.not_before_ms},
      {"not_after_ms", s.not_after_ms},
      {"enabled_ms", s.enabled_ms},
      {"image_url", "/api/v1/seals/" + s.code + "/image"},
      {"version", s.version},
  };
}

// The apps of many seals, as JSON arrays in input order: for a cloud seal
// the apps holding grants on it, for a ukey seal every enabled ukey app
// (read-only: the manual says UKey apps need no grant). Apps are read once
// each however many seals they hold; an app id whose record is gone is left
// out rather than failing the list.
Result<std::vector<json::array>> holders(Services& services,
                                         const std::vector<seals::Seal>& items) {
  std::vector<std::string> codes;
  bool any_ukey = false;
  for (const auto& s : items) {
    codes.push_back(s.code);
    any_ukey = any_ukey || s.usage == "ukey";
  }
  json::array ukey;
  if (any_ukey) {
    auto apps = ukey_apps(services);
    if (!apps) {
      return apps.error();
    }
    for (const auto& app : *apps) {
      json::object o = app_summary_json(app);
      o["read_only"] = true;
      ukey.push_back(std::move(o));
    }
  }
  auto ids = services.grants.apps_of_seals(codes);
  if (!ids) {
    return ids.error();
  }
  std::unordered_map<std::string, std::optional<json::object>> known;
  std::vector<json::array> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].usage == "ukey") {
      out.push_back(ukey);
      continue;
    }
    const auto& per_seal = (*ids)[i];
    json::array apps;
    for (const auto& id : per_seal) {
      auto it = known.find(id);
      if (it == known.end()) {
        auto app = services.apps.get(id);
        if (!app && app.error().code != "app_not_found") {
          return app.error();
        }
        std::optional<json::object> summary;
        if (app) {
          summary = app_summary_json(*app);
          (*summary)["read_only"] = false;
        }
        it = known.emplace(id, std::move(summary)).first;
      }
      if (it->second) {
        apps.push_back(*it->second);
      }
    }
    out.push_back(std::move(apps));
  }
  return out;
}

}  // namespace

Result<std::vector<apps::App>> ukey_apps(Services& services) {
  auto page = services.apps.search("", apps::SearchField::any, 0, kAllApps);
  if (!page) {
    return page.error();
  }
  std::vector<apps::App> out;
  for (auto& app : page->items) {
    if (app.kind == apps::AppKind::ukey && app.status == apps::AppStatus::enabled) {
      out.push_back(std::move(app));
    }
  }
  return out;
}

json::object app_summary_json(const apps::App& app) {
  return {{"id", app.id},
          {"client_id", app.client_id},
          {"name", app.name},
          {"competent_unit", app.competent_unit},
          {"developer_unit", app.developer_unit},
          {"kind", apps::to_string(app.kind)},
          {"status", apps::to_string(app.status)}};
}

Result<json::object> seal_json(Services& services, const seals::Seal& seal) {
  auto apps = holders(services, {seal});
  if (!apps) {
    return apps.error();
  }
  json::object o = seal_fields(seal);
  o["apps"] = std::move(apps->front());
  return o;
}

Result<json::object> seal_page_json(Services& services, const std::vector<seals::Seal>& items,
                                    std::size_t total, const Paging& paging) {
  auto apps = holders(services, items);
  if (!apps) {
    return apps.error();
  }
  json::array out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    json::object o = seal_fields(items[i]);
    o["apps"] = std::move((*apps)[i]);
    out.push_back(std::move(o));
  }
  return json::object{{"items", std::move(out)},
                      {"total", total},
                      {"offset", paging.offset},
                      {"limit", paging.limit}};
}

}  // namespace seald::api
