#pragma once

// The manual's §2.5–§4.4, continuing the workflow walk on the same node:
// an operator makes the approved seals (every type, cloud and UKey), a
// system admin registers apps, the org seal admin grants seals (one, a
// batch, all under an org), syncs them to two other apps and takes them back
// (a batch, all); then a seal is reported lost, restored, another reissued
// and the first revoked — each through an application, a review and the
// operator. Checked from outside: openssl against the CA and the CRL,
// pkcs11-tool against the token, and the logs and Redis files for secrets.

#include <map>
#include <string>

#include "tests/support/seald_node.h"

namespace seald::testing {

struct SealWalk {
  SealdNode& node;
  std::string admin;      // the bootstrap system admin's session
  std::string applicant;  // the applicant, also org seal admin of the bureau
  std::string reviewer;   // reviewer for the city
  std::string city, bureau;
  std::map<std::string, std::string> pending_make;  // seal type → application id
};

void walk_seals_and_grants(SealWalk& walk);

}  // namespace seald::testing
