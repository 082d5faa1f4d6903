#pragma once

// What the seals tests share: the process's SoftHSM token, a fresh
// redis-server per test, the real CA (its own key id per test, since the
// token is shared), an org tree whose region is unique per test (seal codes
// are key ids on the shared token), applications brought to pending_make,
// and the openssl / pkcs11-tool / rsvg-convert CLIs on files in a temporary
// folder.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "hsm/token.h"
#include "orgs/org_store.h"
#include "pki/certificate_authority.h"
#include "redis/pool.h"
#include "seals/seals.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"
#include "uploads/upload_store.h"
#include "workflow/workflow.h"

namespace seald::seals::test {

struct CommandResult {
  int status = -1;
  std::string output;
};

// A 6-digit region no other test in this process uses.
std::string fresh_region();

class SealTest : public ::testing::Test {
 protected:
  SealTest();

  orgs::Organisation make_org(const std::string& name, const std::string& parent);
  // A `new` application for org, approved and waiting to be made.
  workflow::Application pending_make(const std::string& seal_name, const std::string& usage,
                                     const std::string& type = "contract",
                                     const std::string& org_id = "",
                                     const std::string& image_upload_id = "");
  // A seal made from a fresh `new` application (default algorithm).
  Seal made_seal(const std::string& seal_name, const std::string& usage);
  // A revoke / reissue / report_loss / restore application for the seal,
  // filed by the applicant and approved: waiting in pending_make.
  workflow::Application approved_change(const std::string& kind, const Seal& seal,
                                        const std::string& reason = "印章损坏");
  // Snapshot of every seal key and the application, to prove a refusal changed nothing.
  std::string snapshot(const std::string& application_id);
  bool key_on_token(const std::string& key_id);

  std::string write(const std::string& name, const std::string& bytes) const;
  CommandResult run(const std::vector<std::string>& argv) const;

  hsm::TokenPtr token_;
  seald::testing::RedisServer redis_;
  std::unique_ptr<redis::Pool> pool_;
  seald::testing::TempDir dir_{"seald-seals-test"};
  std::unique_ptr<orgs::OrgStore> orgs_;
  std::unique_ptr<uploads::UploadStore> uploads_;
  std::unique_ptr<workflow::Workflow> workflow_;
  std::unique_ptr<pki::CertificateAuthority> ca_;
  std::unique_ptr<Seals> seals_;
  std::string region_;
  orgs::Organisation city_, bureau_;
  std::string applicant_ = "user-applicant";
  int next_credit_ = 0;
};

}  // namespace seald::seals::test
