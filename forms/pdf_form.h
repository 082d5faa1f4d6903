#pragma once

// Renders a FormSpec as a one-page A4 PDF: a title, a framed two-column
// table of label/value rows, optionally a signature line, and an empty
// framed box for the stamp.
//
// libharu (libhpdf) draws it with its built-in Chinese fonts (SimSun,
// SimHei; GBK-EUC-H encoding) and Helvetica for runs of ASCII. Those fonts are referenced, not
// embedded, as PDF readers supply them for the Adobe-GB1 collection, so a form stays a few
// kilobytes; a reader on a machine with no Chinese font at all would substitute (e.g. poppler needs
// any fontconfig CJK font).

#include <string>

#include "core/error.h"
#include "forms/form_spec.h"

namespace seald::forms {

// The PDF's bytes. Fails with form_invalid (no title, an empty label, more
// than kMaxFormRows rows), form_text_unencodable (text not in GBK),
// form_too_long (the rows do not fit one page) or form_render_failed.
Result<std::string> render_form_pdf(const FormSpec& spec);

}  // namespace seald::forms
