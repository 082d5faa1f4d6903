#include "forms/pdf_form.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <regex>

#include "forms/standard_forms.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace seald::forms {
namespace {

using seald::testing::run_command;
using seald::testing::TempDir;

SealApplicationFormData seal_data() {
  SealApplicationFormData d;
  d.application_id = "APP-2024-000123";
  d.org_name = "杭州市西湖区行政审批服务中心";
  d.credit_code = "11330106MB1234567X";
  d.seal_name = "杭州市西湖区行政审批服务中心电子合同专用章";
  d.seal_type = "合同专用章";
  d.usage = "云签章";
  d.validity = "两年";
  d.approving_org = "杭州市西湖区市场监督管理局";
  d.applicant = "张三";
  d.applicant_phone = "13800000000";
  d.date = "2024-05-06";
  return d;
}

// The PDF on disk, and what poppler's tools say about it.
class RenderedPdf {
 public:
  explicit RenderedPdf(const std::string& pdf) { seald::testing::write_file(path(), pdf); }
  std::string path() const { return dir_.file("form.pdf"); }
  std::string text() {
    std::string out;
    EXPECT_EQ(run_command({"pdftotext", "-layout", path(), "-"}, &out), 0) << out;
    return out;
  }
  std::string info() {
    std::string out;
    EXPECT_EQ(run_command({"pdfinfo", path()}, &out), 0) << out;
    return out;
  }
  // Renders page 1 to PNG; returns the PNG's width and height from its IHDR.
  std::pair<unsigned, unsigned> render_png(int dpi) {
    std::string out;
    EXPECT_EQ(run_command({"pdftoppm", "-png", "-r", std::to_string(dpi), "-singlefile", path(),
                           dir_.file("page")},
                          &out),
              0)
        << out;
    std::string png = seald::testing::read_file(dir_.file("page.png"));
    EXPECT_GE(png.size(), 24u);
    EXPECT_EQ(png.substr(1, 3), "PNG");
    auto be32 = [&](std::size_t at) {
      unsigned v = 0;
      for (std::size_t i = 0; i < 4; ++i) {
        v = v << 8 | static_cast<unsigned char>(png[at + i]);
      }
      return v;
    };
    return {be32(16), be32(20)};
  }

  // Page 1 as 8-bit grey at 72 dpi: one pixel per point.
  struct Grey {
    unsigned width = 0, height = 0;
    std::string pixels;
    unsigned char at(int x, int y) const {
      return static_cast<unsigned char>(pixels[static_cast<std::size_t>(y) * width + x]);
    }
  };
  Grey render_grey() {
    std::string out;
    EXPECT_EQ(
        run_command({"pdftoppm", "-gray", "-r", "72", "-singlefile", path(), dir_.file("grey")},
                    &out),
        0)
        << out;
    std::string pgm = seald::testing::read_file(dir_.file("grey.pgm"));
    Grey g;
    unsigned maxval = 0;
    int header = 0;
    EXPECT_EQ(std::sscanf(pgm.c_str(), "P5 %u %u %u%n", &g.width, &g.height, &maxval, &header), 3);
    g.pixels = pgm.substr(static_cast<std::size_t>(header) + 1);
    EXPECT_EQ(g.pixels.size(), std::size_t{g.width} * g.height);
    return g;
  }
  // Where pdftotext finds a word: {xMin, yMin, xMax, yMax} in points from the top left.
  std::array<double, 4> word_box(const std::string& word) {
    std::string out;
    EXPECT_EQ(run_command({"pdftotext", "-bbox", path(), "-"}, &out), 0);
    std::smatch m;
    std::regex re("xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">" +
                  word + "<");
    if (!std::regex_search(out, m, re)) {
      ADD_FAILURE() << word << " not found in\n" << out;
      return {};
    }
    return {std::stod(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4])};
  }

 private:
  TempDir dir_;
};

TEST(PdfForm, SealApplicationFormIsAnA4PageWithTheValues) {
  auto pdf = render_form_pdf(seal_application_form(seal_data()));
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  RenderedPdf doc(*pdf);

  auto info = doc.info();
  EXPECT_NE(info.find("Pages:           1"), std::string::npos) << info;
  EXPECT_NE(info.find("(A4)"), std::string::npos) << info;

  auto [w, h] = doc.render_png(72);
  ASSERT_GT(w, 0u);
  double ratio = static_cast<double>(h) / w;
  EXPECT_NEAR(ratio, 841.89 / 595.276, 0.01) << w << "x" << h;
  EXPECT_NEAR(w, 595, 2);

  auto text = doc.text();
  for (const char* ascii : {"APP-2024-000123", "2024-05-06", "11330106MB1234567X", "13800000000"}) {
    EXPECT_NE(text.find(ascii), std::string::npos) << ascii << " missing from:\n" << text;
  }
}

// poppler maps the GBK font's characters back to Unicode, so the Chinese
// labels and values are really in the document, not just shapes.
TEST(PdfForm, ChineseTextIsInTheDocument) {
  auto pdf = render_form_pdf(seal_application_form(seal_data()));
  ASSERT_TRUE(pdf);
  RenderedPdf doc(*pdf);
  auto text = doc.text();
  for (const char* zh : {"电子印章申请表", "统一社会信用代码", "合同专用章", "两年",
                         "杭州市西湖区市场监督管理局", "审批机构盖章处"}) {
    EXPECT_NE(text.find(zh), std::string::npos) << zh << " missing from:\n" << text;
  }
}

// The approving org stamps inside a framed box under its caption: the box
// must be drawn, and nothing else may be printed inside it.
TEST(PdfForm, StampBoxIsFramedAndEmpty) {
  auto pdf = render_form_pdf(seal_application_form(seal_data()));
  ASSERT_TRUE(pdf);
  RenderedPdf doc(*pdf);
  auto caption = doc.word_box("审批机构盖章处");
  auto page = doc.render_grey();
  ASSERT_GT(page.width, 0u);
  const int centre = static_cast<int>((caption[0] + caption[2]) / 2);
  const int below_caption = static_cast<int>(caption[3]) + 4;
  auto dark_in = [&](int x0, int x1, int y0, int y1) {
    for (int y = y0; y <= y1; ++y) {
      for (int x = x0; x <= x1; ++x) {
        if (page.at(x, y) < 128) {
          return true;
        }
      }
    }
    return false;
  };
  EXPECT_FALSE(dark_in(centre - 65, centre + 65, below_caption, below_caption + 110))
      << "something is printed inside the stamp box";
  const int mid = below_caption + 60;
  EXPECT_TRUE(dark_in(centre - 79, centre - 71, mid, mid)) << "no left edge";
  EXPECT_TRUE(dark_in(centre + 71, centre + 79, mid, mid)) << "no right edge";
  EXPECT_TRUE(
      dark_in(centre, centre, static_cast<int>(caption[1]) - 14, static_cast<int>(caption[1]) - 1))
      << "no top edge";
  EXPECT_TRUE(dark_in(centre, centre, below_caption + 111, below_caption + 140))
      << "no bottom edge";
}

TEST(PdfForm, SealAdminFormHasItsRowsAndASignatureLine) {
  SealAdminApplicationFormData d;
  d.application_id = "ADM-2024-000007";
  d.applicant = "李四";
  d.applicant_phone = "13900000000";
  d.org_name = "浙江省大数据发展管理局";
  d.credit_code = "11330000MB0000000A";
  d.scope_region = "浙江省 (330000)";
  d.scope_org = "浙江省大数据发展管理局";
  d.approving_org = "浙江省人民政府办公厅";
  d.date = "2024-06-01";
  auto pdf = render_form_pdf(seal_admin_application_form(d));
  ASSERT_TRUE(pdf) << pdf.error().message;
  RenderedPdf doc(*pdf);
  auto text = doc.text();
  for (const char* s : {"ADM-2024-000007", "2024-06-01", "330000", "机构印章管理员申请表",
                        "申请人签字", "申请机构盖章处", "授权范围"}) {
    EXPECT_NE(text.find(s), std::string::npos) << s << " missing from:\n" << text;
  }
  auto plain = render_form_pdf(seal_application_form(seal_data()));
  ASSERT_TRUE(plain);
  EXPECT_EQ(RenderedPdf(*plain).text().find("申请人签字"), std::string::npos);
}

TEST(PdfForm, LongValuesWrapInsideTheirCell) {
  FormSpec spec;
  spec.title = "Wrap";
  std::string words;
  for (int i = 0; i < 40; ++i) {
    words += "word" + std::to_string(i) + " ";
  }
  spec.rows = {{"usage", words + "END"}, {"next", "after"}};
  auto pdf = render_form_pdf(spec);
  ASSERT_TRUE(pdf) << pdf.error().message;
  auto text = RenderedPdf(*pdf).text();
  // All of it printed, over several lines, and the next row comes after.
  EXPECT_NE(text.find("word0"), std::string::npos);
  EXPECT_NE(text.find("END"), std::string::npos) << text;
  auto end_line = std::count(text.begin(), text.begin() + text.find("END"), '\n');
  auto first_line = std::count(text.begin(), text.begin() + text.find("word0"), '\n');
  EXPECT_GE(end_line - first_line, 2) << text;
  EXPECT_GT(text.find("after"), text.find("END"));
}

TEST(PdfForm, BadSpecsAreRefused) {
  FormSpec no_title;
  no_title.rows = {{"a", "b"}};
  EXPECT_EQ(render_form_pdf(no_title).error().code, "form_invalid");

  FormSpec empty_label;
  empty_label.title = "t";
  empty_label.rows = {{"", "b"}};
  EXPECT_EQ(render_form_pdf(empty_label).error().code, "form_invalid");

  FormSpec too_many;
  too_many.title = "t";
  too_many.rows.assign(kMaxFormRows + 1, {"a", "b"});
  EXPECT_EQ(render_form_pdf(too_many).error().code, "form_invalid");

  FormSpec too_long;
  too_long.title = "t";
  too_long.rows.assign(kMaxFormRows, {"用途", std::string(60, 'x') + "\n\n\n"});
  EXPECT_EQ(render_form_pdf(too_long).error().code, "form_too_long");
}

TEST(PdfForm, TextTheFontCannotShowIsRefusedNamingTheRow) {
  FormSpec spec;
  spec.title = "电子印章申请表";
  spec.rows = {{"机构名称", "\xF0\xA0\x80\x80 rare character"}};  // U+20000, outside GBK
  auto r = render_form_pdf(spec);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "form_text_unencodable");
  EXPECT_NE(r.error().message.find("机构名称"), std::string::npos) << r.error().message;

  spec.rows = {{"机构名称", "broken \xE4\xB8"}};
  EXPECT_EQ(render_form_pdf(spec).error().code, "form_text_unencodable");
}

}  // namespace
}  // namespace seald::forms
