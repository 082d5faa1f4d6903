#pragma once

// The two forms the manual has applicants print, sign or stamp, scan and
// upload: 电子印章申请表 (§3.1.2) and 机构印章管理员申请表 (§3.3.2). Each is
// the generic generator (pdf_form.h) with its own rows; all values are
// plain text the workflow layer has already formatted (dates, type names).

#include <string>

#include "forms/form_spec.h"

namespace seald::forms {

struct SealApplicationFormData {
  std::string application_id;
  std::string org_name;       // 用章机构
  std::string credit_code;    // 统一社会信用代码
  std::string seal_name;      // 印章名称
  std::string seal_type;      // e.g. 电子法定名称章
  std::string usage;          // 用章方式, e.g. 云签章
  std::string validity;       // 有效期, e.g. 一年
  std::string approving_org;  // 上级审批机构
  std::string applicant;      // 申请人
  std::string applicant_phone;
  std::string date;  // 申请日期, e.g. 2024-05-06
};

// Stamped by the approving org (盖章处: 审批机构盖章).
FormSpec seal_application_form(const SealApplicationFormData& data);

struct SealAdminApplicationFormData {
  std::string application_id;
  std::string applicant;        // 申请人姓名
  std::string applicant_phone;  // 联系电话
  std::string org_name;         // 申请机构
  std::string credit_code;
  std::string scope_region;  // 授权范围: 所属区域, e.g. "浙江省 (330000)"
  std::string scope_org;     // 授权范围: 机构名称
  std::string approving_org;
  std::string date;
};

// Signed by the applicant and stamped by the applying org (申请机构盖章).
FormSpec seal_admin_application_form(const SealAdminApplicationFormData& data);

}  // namespace seald::forms
