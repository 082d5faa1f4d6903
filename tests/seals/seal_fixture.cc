#include "tests/seals/seal_fixture.h"

#include <unistd.h>

#include <atomic>
#include <fstream>

#include "hsm/keys.h"
#include "orgs/credit_code.h"
#include "tests/support/child_process.h"
#include "tests/support/softhsm_token.h"

namespace seald::seals::test {

std::string fresh_region() {
  static std::atomic<unsigned> next{0};
  return std::to_string(110000 + next++);
}

SealTest::SealTest() {
  token_ = seald::testing::SoftHsmToken::instance().open_token().value();
  redis::Endpoint endpoint;
  endpoint.port = redis_.port();
  pool_ = std::make_unique<redis::Pool>(endpoint, 4);
  orgs_ = std::make_unique<orgs::OrgStore>(*pool_);
  uploads_ = std::make_unique<uploads::UploadStore>(*pool_);
  workflow_ = std::make_unique<workflow::Workflow>(*pool_, nullptr);
  region_ = fresh_region();
  pki::CaOptions options;
  options.key_id = "ca-" + std::to_string(::getpid()) + "-" + region_;
  options.key_label = "seald CA " + options.key_id;
  auto ca = pki::CertificateAuthority::open_or_create(token_, *pool_, options);
  EXPECT_TRUE(ca) << (ca ? "" : ca.error().code + ": " + ca.error().message);
  if (ca) {
    ca_ = std::move(*ca);
  }
  seals_ = std::make_unique<Seals>(*pool_, token_, *ca_, *workflow_, *orgs_, *uploads_);
  city_ = make_org("杭州市人民政府", "");
  bureau_ = make_org("杭州市数据资源管理局", city_.id);
}

orgs::Organisation SealTest::make_org(const std::string& name, const std::string& parent) {
  std::string digits = std::to_string(++next_credit_);
  std::string body = "91330100" + std::string(9 - digits.size(), '0') + digits;
  auto org =
      orgs_->create({name, body + *orgs::credit_code_check_character(body), region_, parent});
  EXPECT_TRUE(org) << org.error().message;
  return org ? *org : orgs::Organisation{};
}

workflow::Application SealTest::pending_make(const std::string& seal_name, const std::string& usage,
                                             const std::string& type, const std::string& org_id,
                                             const std::string& image_upload_id) {
  workflow::ApplicationForm form;
  form.kind = "new";
  form.org_id = org_id.empty() ? bureau_.id : org_id;
  form.approving_org_id = city_.id;
  form.seal_name = seal_name;
  form.seal_type = type;
  form.usage = usage;
  form.validity = "2y";
  form.payment_mode = "unified";
  if (type == "personal_name") {
    form.creation_method = image_upload_id.empty() ? "handdrawn" : "upload";
    form.image_upload_id = image_upload_id;
  }
  auto app = workflow_->create(applicant_, form);
  EXPECT_TRUE(app) << app.error().code << ": " << app.error().message;
  if (!app) {
    return {};
  }
  auto approved = workflow_->approve(app->id, app->version, "user-reviewer");
  EXPECT_TRUE(approved) << approved.error().message;
  return approved ? approved->application : *app;
}

Seal SealTest::made_seal(const std::string& seal_name, const std::string& usage) {
  auto app = pending_make(seal_name, usage);
  auto seal = seals_->make(app.id, app.version, "user-operator");
  EXPECT_TRUE(seal) << seal.error().code << ": " << seal.error().message;
  return seal ? *seal : Seal{};
}

workflow::Application SealTest::approved_change(const std::string& kind, const Seal& seal,
                                                const std::string& reason) {
  workflow::ApplicationForm form;
  form.kind = kind;
  form.org_id = seal.org_id;
  form.approving_org_id = city_.id;
  form.seal_code = seal.code;
  form.reason = reason;
  auto app = workflow_->create(applicant_, form);
  EXPECT_TRUE(app) << app.error().code << ": " << app.error().message;
  if (!app) {
    return {};
  }
  auto approved = workflow_->approve(app->id, app->version, "user-reviewer");
  EXPECT_TRUE(approved) << approved.error().message;
  return approved ? approved->application : *app;
}

std::string SealTest::snapshot(const std::string& application_id) {
  std::string out = redis_.cli({"--scan", "--pattern", "seald:seals:*"});
  out += "|" + redis_.cli({"HGETALL", "seald:wf:app:" + application_id});
  return out;
}

bool SealTest::key_on_token(const std::string& key_id) {
  auto keys = hsm::list_keys(*token_);
  EXPECT_TRUE(keys);
  for (const auto& k : *keys) {
    if (k.id == key_id) {
      return true;
    }
  }
  return false;
}

std::string SealTest::write(const std::string& name, const std::string& bytes) const {
  auto path = dir_.file(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

CommandResult SealTest::run(const std::vector<std::string>& argv) const {
  CommandResult r;
  r.status =
      seald::testing::run_command(argv, &r.output, seald::testing::SoftHsmToken::instance().env());
  return r;
}

}  // namespace seald::seals::test
