// /csc/{v1,v2}/info: who we are and what we implement, without auth.

#include <boost/json.hpp>

#include "api/csc_handlers.h"

namespace seald::api::csc {
namespace {

namespace json = boost::json;

// seald serves plain HTTP behind whatever terminates TLS; a proxy that
// does says so in X-Forwarded-Proto.
std::string service_base(const server::Request& request) {
  auto host = request.find(server::http::field::host);
  if (host == request.end() || host->value().empty()) {
    return "";
  }
  auto proto = request.find("X-Forwarded-Proto");
  std::string scheme = proto != request.end() && proto->value() == "https" ? "https" : "http";
  return scheme + "://" + std::string(host->value());
}

}  // namespace

json::object info(const server::Request& request, Dialect dialect) {
  json::array methods{"credentials/list", "credentials/info", "credentials/authorize",
                      "signatures/signHash"};
  json::object out{
      {"specs", dialect == Dialect::v2 ? "2.0.0.2" : "1.0.4.0"},
      {"name", "seald"},
      {"logo", ""},
      {"region", "CN"},
      {"lang", "en-US"},
      {"description", "seald cloud e-seal service: organisation seals whose keys live in an HSM"},
      {"authType", json::array{"oauth2client"}},
      {"oauth2", service_base(request)},
      {"methods", std::move(methods)}};
  if (dialect == Dialect::v2) {
    json::array algos;
    for (auto& oid : all_sign_algorithms()) {
      algos.emplace_back(oid);
    }
    out["asynchronousOperationMode"] = false;
    out["signAlgorithms"] =
        json::object{{"algos", std::move(algos)}, {"algoParams", json::array{}}};
  }
  return out;
}

}  // namespace seald::api::csc
