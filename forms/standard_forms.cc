#include "forms/standard_forms.h"

namespace seald::forms {

FormSpec seal_application_form(const SealApplicationFormData& d) {
  FormSpec spec;
  spec.title = "电子印章申请表";
  spec.rows = {
      {"申请编号", d.application_id},
      {"用章机构名称", d.org_name},
      {"统一社会信用代码", d.credit_code},
      {"印章名称", d.seal_name},
      {"印章类型", d.seal_type},
      {"用章方式", d.usage},
      {"有效期", d.validity},
      {"上级审批机构", d.approving_org},
      {"申请人", d.applicant},
      {"联系电话", d.applicant_phone},
      {"申请日期", d.date},
  };
  spec.stamp_caption = "审批机构盖章处";
  spec.note = "请加盖上级审批机构公章（每张申请表加盖一个印模），按 A4 大小以 300dpi 扫描后上传。";
  return spec;
}

FormSpec seal_admin_application_form(const SealAdminApplicationFormData& d) {
  FormSpec spec;
  spec.title = "机构印章管理员申请表";
  spec.rows = {
      {"申请编号", d.application_id},
      {"申请人姓名", d.applicant},
      {"联系电话", d.applicant_phone},
      {"申请机构", d.org_name},
      {"统一社会信用代码", d.credit_code},
      {"授权范围：所属区域", d.scope_region},
      {"授权范围：机构名称", d.scope_org},
      {"上级审批机构", d.approving_org},
      {"申请日期", d.date},
  };
  spec.stamp_caption = "申请机构盖章处";
  spec.signature_line = true;
  spec.note = "须由申请人签字并加盖申请机构单位公章，扫描后上传。";
  return spec;
}

}  // namespace seald::forms
