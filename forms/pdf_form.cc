#include "forms/pdf_form.h"

#include <hpdf.h>

#include <algorithm>
#include <memory>
#include <type_traits>
#include <vector>

#include "forms/gbk_text.h"

namespace seald::forms {
namespace {

// Points (1/72 inch). A4 is 595.276 x 841.89.
constexpr float kMarginX = 56;
constexpr float kMarginTop = 64;
constexpr float kMarginBottom = 48;
constexpr float kTitleSize = 22;
constexpr float kTextSize = 12;
constexpr float kNoteSize = 9;
constexpr float kLineGap = 1.5f;  // line height as a multiple of the font size
constexpr float kCellPadX = 8;
constexpr float kCellPadY = 7;
constexpr float kLabelWidth = 130;
constexpr float kStampSide = 150;
constexpr const char* kEncoding = "GBK-EUC-H";

struct DocDeleter {
  void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};
using DocPtr = std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter>;

// libharu reports errors through a callback; we keep the first and check it
// once at the end (every later call on a failed document is a no-op).
struct HaruErrors {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};
void on_haru_error(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
  auto* errors = static_cast<HaruErrors*>(user);
  if (errors->code == HPDF_OK) {
    errors->code = code;
    errors->detail = detail;
  }
}

Error render_failed(const HaruErrors& e) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "libharu error 0x%04X (detail %u)", static_cast<unsigned>(e.code),
                static_cast<unsigned>(e.detail));
  return make_error("form_render_failed", buf);
}

Status validate(const FormSpec& spec) {
  auto has_control = [](const std::string& s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
      auto u = static_cast<unsigned char>(c);
      return (u < 0x20 && c != '\n') || u == 0x7f;
    });
  };
  if (spec.title.empty() || has_control(spec.title) || has_control(spec.stamp_caption) ||
      has_control(spec.note)) {
    return make_error("form_invalid", "a form needs a title of printable text");
  }
  if (spec.rows.size() > kMaxFormRows) {
    return make_error("form_invalid",
                      "a form holds at most " + std::to_string(kMaxFormRows) + " rows");
  }
  for (std::size_t i = 0; i < spec.rows.size(); ++i) {
    const auto& row = spec.rows[i];
    if (row.label.empty() || has_control(row.label) || has_control(row.value)) {
      return make_error("form_invalid",
                        "row " + std::to_string(i + 1) + " needs a label, and printable text only");
    }
  }
  return {};
}

// One table row, already in GBK and wrapped to its column.
struct RowLayout {
  std::vector<std::string> label;
  std::vector<std::string> value;
  float height = 0;
};

// Fonts for one weight: Chinese from the GBK CID font, ASCII from a Latin
// base-14 font. The CID font's own half-width Latin is extracted by text
// tools as full-width characters and spaced by metrics that substitute
// fonts do not share, so an application id would neither copy nor print
// cleanly.
struct FontPair {
  HPDF_Font cjk;
  HPDF_Font latin;
};

// A maximal stretch of text in one of the two fonts.
struct Run {
  std::string text;
  bool latin;
};

std::vector<Run> split_runs(const std::string& gbk) {
  std::vector<Run> runs;
  for (std::size_t i = 0; i < gbk.size();) {
    std::size_t n = gbk_char_length(gbk, i);
    bool latin = n == 1;
    if (runs.empty() || runs.back().latin != latin) {
      runs.push_back({"", latin});
    }
    runs.back().text.append(gbk, i, n);
    i += n;
  }
  return runs;
}

class Painter {
 public:
  Painter(HPDF_Page page, FontPair regular, FontPair bold)
      : page_(page), regular_(regular), bold_(bold) {}

  float width(const std::string& gbk, bool bold, float size) {
    float w = 0;
    for (const auto& run : split_runs(gbk)) {
      HPDF_Page_SetFontAndSize(page_, font(run, bold), size);
      w += HPDF_Page_TextWidth(page_, run.text.c_str());
    }
    return w;
  }

  // Breaks at character boundaries: Chinese has no spaces to break at.
  std::vector<std::string> wrap(const std::string& gbk, float max_width, float size) {
    std::vector<std::string> lines{""};
    for (std::size_t i = 0; i < gbk.size();) {
      std::size_t n = gbk_char_length(gbk, i);
      std::string ch = gbk.substr(i, n);
      i += n;
      if (ch == "\n") {
        lines.emplace_back();
        continue;
      }
      std::string candidate = lines.back() + ch;
      if (!lines.back().empty() && width(candidate, false, size) > max_width) {
        lines.push_back(ch);
      } else {
        lines.back() = std::move(candidate);
      }
    }
    return lines;
  }

  void text(float x, float y, const std::string& gbk, bool bold, float size) {
    for (const auto& run : split_runs(gbk)) {
      HPDF_Page_BeginText(page_);
      HPDF_Page_SetFontAndSize(page_, font(run, bold), size);
      HPDF_Page_TextOut(page_, x, y, run.text.c_str());
      x += HPDF_Page_TextWidth(page_, run.text.c_str());
      HPDF_Page_EndText(page_);
    }
  }

  void centred(float left, float right, float y, const std::string& gbk, bool bold, float size) {
    float w = width(gbk, bold, size);
    text(left + (right - left - w) / 2, y, gbk, bold, size);
  }

  void rect(float x, float y, float w, float h, float line_width) {
    HPDF_Page_SetLineWidth(page_, line_width);
    HPDF_Page_Rectangle(page_, x, y, w, h);
    HPDF_Page_Stroke(page_);
  }

  void line(float x0, float y0, float x1, float y1, float line_width) {
    HPDF_Page_SetLineWidth(page_, line_width);
    HPDF_Page_MoveTo(page_, x0, y0);
    HPDF_Page_LineTo(page_, x1, y1);
    HPDF_Page_Stroke(page_);
  }

 private:
  HPDF_Font font(const Run& run, bool bold) const {
    const FontPair& pair = bold ? bold_ : regular_;
    return run.latin ? pair.latin : pair.cjk;
  }

  HPDF_Page page_;
  FontPair regular_;
  FontPair bold_;
};

Result<std::string> gbk(const std::string& utf8) {
  return utf8_to_gbk(utf8);
}

Result<std::string> save(HPDF_Doc doc, const HaruErrors& errors) {
  if (errors.code != HPDF_OK || HPDF_SaveToStream(doc) != HPDF_OK) {
    return render_failed(errors);
  }
  HPDF_ResetStream(doc);
  std::string out;
  for (;;) {
    HPDF_BYTE buf[8192];
    HPDF_UINT32 n = sizeof buf;
    HPDF_STATUS st = HPDF_ReadFromStream(doc, buf, &n);
    out.append(reinterpret_cast<const char*>(buf), n);
    if (st == HPDF_STREAM_EOF) {
      break;
    }
    if (st != HPDF_OK) {
      return render_failed(errors);
    }
  }
  return out;
}

}  // namespace

Result<std::string> render_form_pdf(const FormSpec& spec) {
  if (auto s = validate(spec); !s) {
    return s.error();
  }
  auto title = gbk(spec.title);
  auto caption = gbk(spec.stamp_caption);
  auto note = gbk(spec.note);
  auto signature = gbk("申请人签字：");
  auto date = gbk("日期：");
  for (const auto* r : {&title, &caption, &note, &signature, &date}) {
    if (!*r) {
      return r->error();
    }
  }

  HaruErrors errors;
  DocPtr doc(HPDF_New(on_haru_error, &errors));
  if (!doc) {
    return make_error("form_render_failed", "libharu could not create a document");
  }
  HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
  HPDF_UseCNSFonts(doc.get());
  HPDF_UseCNSEncodings(doc.get());
  FontPair regular{HPDF_GetFont(doc.get(), "SimSun", kEncoding),
                   HPDF_GetFont(doc.get(), "Helvetica", nullptr)};
  FontPair bold{HPDF_GetFont(doc.get(), "SimHei", kEncoding),
                HPDF_GetFont(doc.get(), "Helvetica-Bold", nullptr)};
  HPDF_Page page = HPDF_AddPage(doc.get());
  if (!regular.cjk || !regular.latin || !bold.cjk || !bold.latin || !page) {
    return render_failed(errors);
  }
  HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  const float page_w = HPDF_Page_GetWidth(page);
  const float page_h = HPDF_Page_GetHeight(page);
  const float left = kMarginX, right = page_w - kMarginX;
  Painter paint(page, regular, bold);

  // Lay out first, so that a form that does not fit is refused before
  // anything is drawn.
  const float line_h = kTextSize * kLineGap;
  std::vector<RowLayout> rows;
  float table_h = 0;
  for (std::size_t i = 0; i < spec.rows.size(); ++i) {
    auto label = gbk(spec.rows[i].label);
    if (!label) {
      return make_error(label.error().code,
                        "row " + std::to_string(i + 1) + " label: " + label.error().message);
    }
    auto value = gbk(spec.rows[i].value);
    if (!value) {
      return make_error(value.error().code, "row " + std::to_string(i + 1) + " (" +
                                                spec.rows[i].label + "): " + value.error().message);
    }
    RowLayout row;
    row.label = paint.wrap(*label, kLabelWidth - 2 * kCellPadX, kTextSize);
    row.value = paint.wrap(*value, right - left - kLabelWidth - 2 * kCellPadX, kTextSize);
    std::size_t lines = std::max(row.label.size(), row.value.size());
    row.height = static_cast<float>(lines) * line_h + 2 * kCellPadY;
    table_h += row.height;
    rows.push_back(std::move(row));
  }
  std::vector<std::string> note_lines;
  if (!note->empty()) {
    note_lines = paint.wrap(*note, right - left, kNoteSize);
  }
  const float title_base = page_h - kMarginTop - kTitleSize;
  const float table_top = title_base - 28;
  const float note_h = static_cast<float>(note_lines.size()) * kNoteSize * kLineGap;
  const float signature_h = spec.signature_line ? 44 : 0;
  const float stamp_top = table_top - table_h - 16 - note_h - signature_h;
  if (stamp_top - kStampSide < kMarginBottom) {
    return make_error("form_too_long", "the rows do not fit on one A4 page");
  }

  paint.centred(left, right, title_base, *title, true, kTitleSize);

  float y = table_top;
  for (const auto& row : rows) {
    float baseline = y - kCellPadY - kTextSize * 0.9f;
    for (std::size_t i = 0; i < row.label.size(); ++i) {
      paint.text(left + kCellPadX, baseline - static_cast<float>(i) * line_h, row.label[i], true,
                 kTextSize);
    }
    for (std::size_t i = 0; i < row.value.size(); ++i) {
      paint.text(left + kLabelWidth + kCellPadX, baseline - static_cast<float>(i) * line_h,
                 row.value[i], false, kTextSize);
    }
    y -= row.height;
    paint.line(left, y, right, y, 0.6f);
  }
  if (!rows.empty()) {
    paint.rect(left, y, right - left, table_top - y, 1.2f);
    paint.line(left + kLabelWidth, y, left + kLabelWidth, table_top, 0.6f);
  }

  y -= 16;
  for (const auto& l : note_lines) {
    y -= kNoteSize * kLineGap;
    paint.text(left, y + kNoteSize * 0.4f, l, false, kNoteSize);
  }
  if (spec.signature_line) {
    float base = y - 28;
    float sig_w = paint.width(*signature, true, kTextSize);
    paint.text(left, base, *signature, true, kTextSize);
    paint.line(left + sig_w + 4, base - 3, left + sig_w + 164, base - 3, 0.6f);
    float date_x = left + sig_w + 190;
    float date_w = paint.width(*date, true, kTextSize);
    paint.text(date_x, base, *date, true, kTextSize);
    paint.line(date_x + date_w + 4, base - 3, date_x + date_w + 110, base - 3, 0.6f);
  }

  // The stamp box: framed and empty but for its caption at the top, so the
  // approving org's seal lands inside it.
  const float box_left = right - kStampSide;
  paint.rect(box_left, stamp_top - kStampSide, kStampSide, kStampSide, 1.2f);
  paint.centred(box_left, right, stamp_top - kCellPadY - kTextSize, *caption, true, kTextSize);

  return save(doc.get(), errors);
}

}  // namespace seald::forms
