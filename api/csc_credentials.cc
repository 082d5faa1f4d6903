// credentials/list, credentials/info and credentials/authorize. All read
// the app and its grants from the signing cache, like a sign request; only
// authorize writes (its SAD) to Redis.

#include <algorithm>

#include <boost/json.hpp>

#include "api/csc_handlers.h"
#include "api/sign_core.h"
#include "core/base64.h"
#include "signing/sign_decision.h"

namespace seald::api::csc {
namespace {

namespace json = boost::json;

Result<signing::AppState> enabled_app(SigningServices& s, const server::Request& request,
                                      const signing::Snapshot& snapshot) {
  auto app = calling_app(s, request, snapshot);
  if (app && app->status != apps::AppStatus::enabled) {
    return make_error("app_disabled", "the app " + app->client_id + " is disabled");
  }
  return app;
}

// A seal this app may look at: a cloud seal granted to it.
Result<const signing::SealState*> granted_seal(const signing::Snapshot& snapshot,
                                               const signing::AppState& app,
                                               const std::string& code) {
  auto seal = snapshot.seals.find(code);
  if (seal == snapshot.seals.end()) {
    return make_error("seal_not_found", "no seal " + code);
  }
  if (seal->second.usage != "cloud") {
    return make_error("seal_not_cloud", "seal " + code + " is a UKey seal");
  }
  auto grants = snapshot.grants.find(app.id);
  if (grants == snapshot.grants.end() || !grants->second.contains(code)) {
    return make_error("seal_not_granted", "seal " + code + " is not granted to this app");
  }
  return &seal->second;
}

Result<DescribeOptions> describe_options(const json::object& body) {
  auto certificates = get_string(body, "certificates");
  auto cert_info = get_bool(body, "certInfo");
  auto auth_info = get_bool(body, "authInfo");
  if (!certificates) {
    return certificates.error();
  }
  if (!cert_info) {
    return cert_info.error();
  }
  if (!auth_info) {
    return auth_info.error();
  }
  auto choice = parse_certificate_choice(*certificates);
  if (!choice) {
    return choice.error();
  }
  return DescribeOptions{*choice, cert_info->value_or(false), auth_info->value_or(false)};
}

}  // namespace

Answer list_credentials(SigningServices& s, const server::Request& request, Dialect dialect) {
  auto snapshot = s.cache.current();
  auto app = enabled_app(s, request, *snapshot);
  if (!app) {
    return app.error();
  }
  auto body = parse_body(request.body());
  if (!body) {
    return body.error();
  }
  // v1.0.4 pages with maxResults/pageToken; one page holds every grant.
  auto max_results = get_int(*body, "maxResults");
  if (!max_results) {
    return max_results.error();
  }
  auto with_info = get_bool(*body, "credentialInfo");
  auto only_valid = get_bool(*body, "onlyValid");
  auto options = describe_options(*body);
  if (!with_info || !only_valid || !options) {
    return !with_info ? with_info.error() : !only_valid ? only_valid.error() : options.error();
  }
  bool v2 = dialect == Dialect::v2;
  bool filter = v2 && only_valid->value_or(false);

  std::vector<const signing::SealState*> seals;
  if (auto grants = snapshot->grants.find(app->id); grants != snapshot->grants.end()) {
    for (const auto& code : grants->second) {
      auto seal = granted_seal(*snapshot, *app, code);
      if (!seal || (filter && current_status(**seal) != seals::SealStatus::active)) {
        continue;
      }
      seals.push_back(*seal);
    }
  }
  std::sort(seals.begin(), seals.end(), [](auto* a, auto* b) { return a->code < b->code; });

  json::array ids, infos;
  for (const auto* seal : seals) {
    ids.emplace_back(seal->code);
    if (v2 && with_info->value_or(false)) {
      auto described = describe_credential(s, *seal, dialect, *options);
      if (!described) {
        return described.error();
      }
      json::object entry{{"credentialID", seal->code}};
      for (auto& member : *described) {
        entry.emplace(member.key(), std::move(member.value()));
      }
      infos.emplace_back(std::move(entry));
    }
  }
  json::object out{{"credentialIDs", std::move(ids)}};
  if (v2 && with_info->value_or(false)) {
    out["credentialInfos"] = std::move(infos);
  }
  if (v2) {
    out["onlyValid"] = filter;
  }
  return out;
}

Answer credential_info(SigningServices& s, const server::Request& request, Dialect dialect) {
  auto snapshot = s.cache.current();
  auto app = enabled_app(s, request, *snapshot);
  if (!app) {
    return app.error();
  }
  auto body = parse_body(request.body());
  if (!body) {
    return body.error();
  }
  auto code = require_string(*body, "credentialID");
  if (!code) {
    return code.error();
  }
  auto options = describe_options(*body);
  if (!options) {
    return options.error();
  }
  auto seal = granted_seal(*snapshot, *app, *code);
  if (!seal) {
    return seal.error();
  }
  return describe_credential(s, **seal, dialect, *options);
}

Answer authorize(SigningServices& s, const server::Request& request, Dialect dialect) {
  auto snapshot = s.cache.current();
  auto app = calling_app(s, request, *snapshot);
  if (!app) {
    return app.error();
  }
  auto body = parse_body(request.body());
  if (!body) {
    return body.error();
  }
  auto code = require_string(*body, "credentialID");
  if (!code) {
    return code.error();
  }
  auto count = get_int(*body, "numSignatures");
  if (!count) {
    return count.error();
  }
  if (!*count || **count < 1 || static_cast<std::uint64_t>(**count) > s.limits.max_hashes) {
    return invalid_request("Invalid parameter numSignatures (1 to " +
                           std::to_string(s.limits.max_hashes) + ")");
  }
  auto hashes = get_strings(*body, dialect == Dialect::v2 ? "hashes" : "hash");
  if (!hashes) {
    return hashes.error();
  }
  // A SAD only for a seal that could sign now, by the same decision.
  auto seal = signing::decide(*snapshot, app->id, *code, now_ms());
  if (!seal) {
    return seal.error();
  }
  signing::Activation activation{app->id, *code, **count, {}};
  if (*hashes) {
    if ((*hashes)->size() != static_cast<std::size_t>(**count)) {
      return invalid_request("numSignatures does not match the number of hashes");
    }
    for (const auto& h : **hashes) {
      auto bytes = base64_decode(h);
      if (!bytes || (bytes->size() != 32 && bytes->size() != 48 && bytes->size() != 64)) {
        return invalid_request("Invalid Base64 hash string parameter");
      }
      activation.hashes.push_back(hex_encode(*bytes));
    }
  }
  auto issued = s.activations.issue(activation);
  if (!issued) {
    return issued.error();
  }
  return json::object{{"SAD", issued->sad.reveal()}, {"expiresIn", issued->expires_in_s}};
}

}  // namespace seald::api::csc
