#pragma once

// What the CSC API handlers share (docs/csc.md): the two dialects (v2 and
// v1.0.4 differ in field names, not in behaviour), the one translation of
// our error codes into CSC errors, reading CSC bodies, and the credential
// description that credentials/list and credentials/info both give.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "api/signing_services.h"
#include "core/error.h"
#include "hsm/algorithms.h"
#include "server/handler.h"
#include "signing/state_cache.h"

namespace seald::api::csc {

enum class Dialect { v1, v2 };

// The one mapping of a seald error to {"error", "error_description"} and an
// HTTP status (the table is in docs/csc.md). The original code rides along
// as "seald_error" so an operator can match it to /api/v1/sign's.
server::Response error_response(const Error& error);

// Errors built by the CSC handlers themselves; all are invalid_request.
Error invalid_request(std::string description);

// The body as a JSON object. Members we do not use (clientData, lang, ...)
// are ignored, as CSC clients send them freely. Errors: invalid_request.
Result<boost::json::object> parse_body(std::string_view body);

// Typed members; a member of the wrong type is invalid_request naming it.
Result<std::optional<std::string>> get_string(const boost::json::object& body,
                                              std::string_view field);
Result<std::string> require_string(const boost::json::object& body, std::string_view field);
Result<std::optional<bool>> get_bool(const boost::json::object& body, std::string_view field);
Result<std::optional<std::int64_t>> get_int(const boost::json::object& body,
                                            std::string_view field);
Result<std::optional<std::vector<std::string>>> get_strings(const boost::json::object& body,
                                                            std::string_view field);

// The hash algorithm of a digest OID (2.16.840.1.101.3.4.2.1/.2/.3).
std::optional<hsm::HashAlgorithm> hash_from_oid(std::string_view oid);
std::string_view hash_oid(hsm::HashAlgorithm hash);

// signAlgo OIDs: ecdsa-with-SHA256/384/512, sha256/384/512WithRSAEncryption
// (each index matching hsm::HashAlgorithm's order), rsaEncryption (hash from
// hashAlgorithmOID) and RSASSA-PSS (hash from its parameters).
inline constexpr std::string_view kEcdsaOids[] = {"1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3",
                                                  "1.2.840.10045.4.3.4"};
inline constexpr std::string_view kRsaPkcs1Oids[] = {
    "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13"};
inline constexpr std::string_view kRsaEncryptionOid = "1.2.840.113549.1.1.1";
inline constexpr std::string_view kRsaPssOid = "1.2.840.113549.1.1.10";

// The signAlgo OIDs a key of this algorithm can use.
std::vector<std::string> algorithms_for(hsm::KeyAlgorithm key);
// Every signAlgo OID we support, for info.
std::vector<std::string> all_sign_algorithms();

// Base64 hashes decoded, each as long as `hash` says; 1..max_hashes of them.
Result<std::vector<std::vector<std::uint8_t>>> decode_hashes(const std::vector<std::string>& b64,
                                                             hsm::HashAlgorithm hash,
                                                             std::size_t max_hashes);

enum class CertificateChoice { none, single, chain };
Result<CertificateChoice> parse_certificate_choice(std::optional<std::string> text);

struct DescribeOptions {
  CertificateChoice certificates = CertificateChoice::single;
  bool cert_info = false;
  bool auth_info = false;
};

// The seal as credentials/info describes it, in the dialect's names.
// Errors: certificate_invalid (a stored certificate OpenSSL cannot read).
Result<boost::json::object> describe_credential(const SigningServices& s,
                                                const signing::SealState& seal, Dialect dialect,
                                                const DescribeOptions& options);

// The seal's status as a reader sees it now (expiry by the clock).
seals::SealStatus current_status(const signing::SealState& seal);

std::int64_t now_ms();

}  // namespace seald::api::csc
