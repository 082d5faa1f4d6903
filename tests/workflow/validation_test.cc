#include <gtest/gtest.h>

#include "tests/workflow/fixture.h"
#include "workflow/validation.h"

namespace seald::workflow {
namespace {

using testing::new_seal_form;
using testing::org_update_form;
using testing::seal_admin_form;
using testing::seal_change_form;
using testing::WorkflowTest;

// The form of `code` and the field its message names.
void expect_refused(const ApplicationForm& form, const std::string& code,
                    const std::string& field) {
  auto s = validate_form(form);
  ASSERT_FALSE(s) << "expected " << code << " on " << field;
  EXPECT_EQ(s.error().code, code) << s.error().message;
  EXPECT_EQ(s.error().message.rfind(field + ":", 0), 0u) << s.error().message;
}

TEST(WorkflowValidation, ValidFormsOfEveryKindPass) {
  EXPECT_TRUE(validate_form(new_seal_form("合同专用章")));
  for (const char* kind : {"revoke", "reissue", "report_loss", "restore"}) {
    EXPECT_TRUE(validate_form(seal_change_form(kind))) << kind;
  }
  EXPECT_TRUE(validate_form(org_update_form()));
  EXPECT_TRUE(validate_form(seal_admin_form()));
}

TEST(WorkflowValidation, MissingFieldsAreNamed) {
  ApplicationForm no_kind = new_seal_form("x");
  no_kind.kind.clear();
  expect_refused(no_kind, "field_missing", "kind");
  for (auto member :
       {&ApplicationForm::org_id, &ApplicationForm::approving_org_id, &ApplicationForm::seal_name,
        &ApplicationForm::seal_type, &ApplicationForm::usage, &ApplicationForm::validity,
        &ApplicationForm::payment_mode}) {
    auto f = new_seal_form("章");
    (f.*member).clear();
    auto s = validate_form(f);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, "field_missing") << s.error().message;
  }
  auto revoke = seal_change_form("revoke");
  revoke.reason.clear();
  expect_refused(revoke, "field_missing", "reason");
  revoke = seal_change_form("restore", "");
  expect_refused(revoke, "field_missing", "seal_code");
  auto update = org_update_form();
  update.licence_upload_id.clear();
  expect_refused(update, "field_missing", "licence_upload_id");
  auto admin = seal_admin_form();
  admin.region_code.clear();
  expect_refused(admin, "field_missing", "region_code");
}

TEST(WorkflowValidation, EnumsAreChecked) {
  ApplicationForm f = new_seal_form("章");
  f.kind = "adopt";
  expect_refused(f, "field_invalid", "kind");
  f = new_seal_form("章");
  f.seal_type = "official";
  expect_refused(f, "field_invalid", "seal_type");
  f = new_seal_form("章");
  f.usage = "paper";
  expect_refused(f, "field_invalid", "usage");
  f = new_seal_form("章");
  f.validity = "3y";
  expect_refused(f, "field_invalid", "validity");
  f = new_seal_form("章");
  f.payment_mode = "later";
  expect_refused(f, "field_invalid", "payment_mode");
}

TEST(WorkflowValidation, PersonalNameSealsNeedCreationMethodAndImage) {
  auto f = new_seal_form("张三");
  f.seal_type = "personal_name";
  expect_refused(f, "field_missing", "creation_method");
  f.creation_method = "carved";
  expect_refused(f, "field_invalid", "creation_method");
  for (const char* method : {"handdrawn", "upload"}) {
    f.creation_method = method;
    f.image_upload_id.clear();
    expect_refused(f, "field_missing", "image_upload_id");
    f.image_upload_id = "up-img-1";
    EXPECT_TRUE(validate_form(f)) << method;
  }
  auto contract = new_seal_form("合同章");
  contract.creation_method = "upload";
  expect_refused(contract, "field_invalid", "creation_method");
}

TEST(WorkflowValidation, FieldsOfAnotherKindAreRefused) {
  auto f = seal_change_form("revoke");
  f.seal_type = "finance";
  expect_refused(f, "field_invalid", "seal_type");
  auto g = new_seal_form("章");
  g.region_code = "330100";
  expect_refused(g, "field_invalid", "region_code");
}

TEST(WorkflowValidation, LengthsCharactersAndIds) {
  auto f = new_seal_form(std::string(65, 'a'));
  expect_refused(f, "field_invalid", "seal_name");
  f = new_seal_form(std::string(64, 'a'));
  EXPECT_TRUE(validate_form(f));
  f = new_seal_form("印章印章印章印章印章印章印章印章印章印章印章印章印章印章印章印章");  // 64 CJK
  EXPECT_TRUE(validate_form(f));
  f = new_seal_form("   \xE3\x80\x80 ");  // spaces and U+3000 only
  expect_refused(f, "field_invalid", "seal_name");
  f = new_seal_form("bad\xC3");  // truncated UTF-8
  expect_refused(f, "field_invalid", "seal_name");
  f = new_seal_form("tab\there");
  expect_refused(f, "field_invalid", "seal_name");
  f = new_seal_form("章", "org:1");  // ':' would alias Redis keys
  expect_refused(f, "field_invalid", "org_id");
  auto r = seal_change_form("revoke");
  r.reason = std::string(501, 'x');
  expect_refused(r, "field_invalid", "reason");
}

TEST(WorkflowValidation, OrgUpdateNeedsAChangeAndAValidCreditCode) {
  auto f = org_update_form();
  f.new_name.clear();
  f.new_credit_code.clear();
  expect_refused(f, "field_missing", "new_credit_code");
  f.new_parent_org_id = "org-0";
  EXPECT_TRUE(validate_form(f)) << "one change of the three is enough";
  f.new_parent_org_id = "org-1";
  expect_refused(f, "field_invalid", "new_parent_org_id");
  f = org_update_form();
  f.new_credit_code = "91350100M000100Y44";  // wrong check character
  expect_refused(f, "field_invalid", "new_credit_code");
  EXPECT_TRUE(valid_credit_code("91110000600037341L"));
  EXPECT_FALSE(valid_credit_code("91110000600037341"));
  EXPECT_FALSE(valid_credit_code("9111000060003734IL"));  // 'I' is not in the alphabet
}

TEST(WorkflowValidation, SealAdminRegionCodeIsADivisionCode) {
  auto f = seal_admin_form();
  f.region_code = "33010";
  expect_refused(f, "field_invalid", "region_code");
  f.region_code = "3301ab";
  expect_refused(f, "field_invalid", "region_code");
  f.region_code = "330106001";
  EXPECT_TRUE(validate_form(f));
}

TEST(WorkflowValidation, NamesNormaliseCaseWidthAndWhitespace) {
  EXPECT_EQ(normalise_seal_name("  Acme   Trading\xE3\x80\x80Seal "), "acme trading seal");
  EXPECT_EQ(normalise_seal_name("\xEF\xBC\xA1\xEF\xBC\xA2"), "ab");  // full-width ＡＢ
  EXPECT_EQ(normalise_seal_name("杭州市 合同章"), normalise_seal_name("杭州市\xE3\x80\x80合同章"));
  EXPECT_NE(normalise_seal_name("杭州市合同章"), normalise_seal_name("杭州市 合同章"));
}

// Each kind of field error, through the workflow: refused, and Redis untouched.
TEST_F(WorkflowTest, FieldErrorsChangeNothingInRedis) {
  create_ok(new_seal_form("已有的章"));
  auto before = snapshot();
  std::vector<ApplicationForm> bad;
  auto missing = new_seal_form("章一");
  missing.usage.clear();
  bad.push_back(missing);
  auto wrong_enum = new_seal_form("章二");
  wrong_enum.validity = "5y";
  bad.push_back(wrong_enum);
  bad.push_back(new_seal_form(std::string(80, 'z')));
  auto wrong_kind_field = seal_admin_form();
  wrong_kind_field.seal_code = "S-1";
  bad.push_back(wrong_kind_field);
  auto bad_code = org_update_form();
  bad_code.new_credit_code = "123";
  bad.push_back(bad_code);
  for (const auto& form : bad) {
    auto r = workflow_.create("user-1", form);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().code == "field_missing" || r.error().code == "field_invalid")
        << r.error().code;
  }
  EXPECT_ERROR_CODE(workflow_.create("user 1", new_seal_form("章三")), "field_invalid");
  EXPECT_EQ(snapshot(), before);
}

}  // namespace
}  // namespace seald::workflow
