#pragma once

// What a printable application form holds. The workflow layer decides the
// rows; the generator only lays them out (see pdf_form.h).

#include <string>
#include <vector>

namespace seald::forms {

struct FormRow {
  std::string label;  // UTF-8, e.g. "机构名称"
  std::string value;  // UTF-8; may be empty; '\n' starts a new line
};

struct FormSpec {
  std::string title;  // e.g. "电子印章申请表"
  std::vector<FormRow> rows;
  // Caption of the empty framed box where the approving org stamps (盖章处).
  std::string stamp_caption = "盖章处";
  // Adds an applicant's signature and date line (申请人签字 / 日期).
  bool signature_line = false;
  std::string note;  // optional small print under the table
};

inline constexpr std::size_t kMaxFormRows = 30;

}  // namespace seald::forms
