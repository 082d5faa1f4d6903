// The CA's public documents, for anyone verifying a seal's signature:
//   GET /api/v1/ca/certificate  the root, PEM by default, DER when asked
//   GET /api/v1/ca/crl          a freshly signed DER CRL
// Neither needs a login nor changes anything the API user owns, so neither
// is audited (a CRL only advances the shared CRL number).

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "api/error_status.h"
#include "api/routes.h"
#include "pki/certificate_authority.h"
#include "server/json_response.h"

namespace seald::api {
namespace {

using server::http::status;
using server::http::verb;

constexpr std::string_view kPemType = "application/x-pem-file";
constexpr std::string_view kCertificateDerType = "application/pkix-cert";
constexpr std::string_view kCrlDerType = "application/pkix-crl";

// Media types are case-insensitive (RFC 9110 section 8.3.1). A client that
// lists application/pkix-cert at all gets DER; everything else gets PEM,
// which is what a browser or curl without headers should see.
bool wants_der(const server::Request& request) {
  auto it = request.find(server::http::field::accept);
  if (it == request.end()) {
    return false;
  }
  std::string accept(it->value());
  std::transform(accept.begin(), accept.end(), accept.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return accept.find(kCertificateDerType) != std::string::npos;
}

server::Response binary(std::string body, std::string_view content_type, std::string_view name) {
  auto response = server::text_response(status::ok, std::move(body), content_type);
  response.set(server::http::field::content_disposition,
               "attachment; filename=\"" + std::string(name) + "\"");
  response.set("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace

void add_ca_routes(server::Router& router, pki::CertificateAuthority& ca) {
  // The root is in memory: answered on the I/O thread.
  router.add(verb::get, "/api/v1/ca/certificate", "ca_certificate",
             [&ca](const server::Request& request, const server::RequestContext&) {
               if (wants_der(request)) {
                 const auto& der = ca.certificate_der();
                 return binary(std::string(der.begin(), der.end()), kCertificateDerType,
                               "seald-ca.cer");
               }
               return binary(ca.certificate_pem(), kPemType, "seald-ca.pem");
             });

  // A CRL takes a Redis round trip and an HSM signature, so it runs off the
  // I/O threads. This group is given the CA but not the shared Services (and
  // so not its worker pool): it keeps one worker of its own, which also
  // bounds how much HSM time anonymous callers can take to one CRL at a time.
  // The pool lives as long as the route's handler; tasks hold no reference to
  // it, so it is never destroyed from one of its own threads.
  auto worker = std::make_shared<boost::asio::thread_pool>(1);
  router.add_async(verb::get, "/api/v1/ca/crl", "ca_crl",
                   [&ca, worker](const server::Request&, const server::RequestContext&,
                                 server::Responder respond) {
                     boost::asio::post(*worker, [&ca, respond] {
                       auto crl = ca.crl_der();
                       if (!crl) {
                         respond(error_response(crl.error()));
                         return;
                       }
                       auto response =
                           binary(std::string(crl->begin(), crl->end()), kCrlDerType, "seald.crl");
                       // Each response is a new CRL; caches should not keep it past its
                       // nextUpdate, and need not keep it at all.
                       response.set(server::http::field::cache_control, "no-cache");
                       respond(std::move(response));
                     });
                   });
}

}  // namespace seald::api
