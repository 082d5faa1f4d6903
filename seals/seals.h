#pragma once

// Seals: making them for approved applications and reading them back.
//
// Making (制章) is an operator's action on a `new` application in
// pending_make. A cloud seal gets a key pair generated in the HSM (key id =
// the seal code) and a certificate from the CA for that key; a ukey seal
// keeps its key on the holder's UKey, so only its metadata is recorded. The
// seal record is written first (one script that also refuses a second seal
// for the application), then the application is completed, then the seal
// name's claim moves to the seal. A failure before the application is
// completed undoes everything done so far — the record and the key — so
// nothing is left half-made; who may make is the caller's business.

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "hsm/algorithms.h"
#include "hsm/token.h"
#include "orgs/org_store.h"
#include "pki/certificate_authority.h"
#include "redis/pool.h"
#include "seals/seal.h"
#include "seals/seal_store.h"
#include "uploads/upload_store.h"
#include "workflow/workflow.h"

namespace seald::seals {

struct MakeOptions {
  hsm::KeyAlgorithm algorithm = hsm::KeyAlgorithm::ec_p256;  // cloud seals only
  std::string comment;                                       // goes into the application's history
};

class Seals {
 public:
  Seals(redis::Pool& pool, hsm::TokenPtr token, pki::CertificateAuthority& ca,
        workflow::Workflow& workflow, orgs::OrgStore& orgs, uploads::UploadStore& uploads);

  // Errors: application_not_found, application_not_makeable (not a `new`
  // application in pending_make), seal_already_made,
  // application_version_conflict, org_not_found, region_invalid,
  // seal_image_invalid (the given picture is not a PNG), or the HSM's, the
  // CA's and Redis' own codes.
  Result<Seal> make(std::string_view application_id, std::int64_t expected_version,
                    std::string_view operator_id, const MakeOptions& options = {});

  // Reads show the effective status (seal.h): a seal past its not_after is
  // expired even before maintenance records it.
  Result<Seal> get(std::string_view code);
  Result<SealImage> image(const Seal& seal);

  Result<SealPage> list_by_applicant(std::string_view applicant_id, std::size_t offset,
                                     std::size_t limit);
  // Every seal of an org in root_id's subtree (the root included).
  Result<SealPage> list_in_subtree(std::string_view root_id, std::size_t offset, std::size_t limit);

  // The stored records as they are (status as last written).
  SealStore& store() { return store_; }

 private:
  redis::Pool& pool_;
  hsm::TokenPtr token_;
  pki::CertificateAuthority& ca_;
  workflow::Workflow& workflow_;
  orgs::OrgStore& orgs_;
  uploads::UploadStore& uploads_;
  SealStore store_;
};

}  // namespace seald::seals
