// The drawn seal image: well-formed SVG that a real renderer (rsvg-convert)
// turns into a red round seal, with the org name and the type's Chinese
// name in it, and markup in an org name escaped rather than obeyed.

#include <fstream>
#include <iterator>

#include "seals/seal_image.h"
#include "tests/seals/seal_fixture.h"

namespace seald::seals::test {
namespace {

class SealImages : public SealTest {};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(SealImages, AMadeSealWithoutAPictureGetsADrawnRoundSealThatRenders) {
  auto app = pending_make("数据局合同专用章", "ukey", "contract");
  auto seal = seals_->make(app.id, app.version, "user-operator");
  ASSERT_TRUE(seal) << seal.error().code;
  EXPECT_EQ(seal->image, "svg");
  auto image = seals_->image(*seal);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->content_type, "image/svg+xml");
  EXPECT_NE(image->bytes.find(">杭<"), std::string::npos);
  EXPECT_NE(image->bytes.find(">局<"), std::string::npos);
  EXPECT_NE(image->bytes.find("合同专用章"), std::string::npos);
  EXPECT_NE(image->bytes.find("rotate("), std::string::npos);

  std::string svg = write("seal.svg", image->bytes);
  std::string png = dir_.file("seal.png");
  auto r = run({"rsvg-convert", "-w", "480", "-h", "480", "-o", png, svg});
  ASSERT_EQ(r.status, 0) << r.output;
  std::string bytes = read_file(png);
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
  // A look at the picture when SEALD_KEEP_SEAL_PNG names a path.
  if (const char* keep = std::getenv("SEALD_KEEP_SEAL_PNG")) {
    std::ofstream(keep, std::ios::binary) << bytes;
  }
}

TEST_F(SealImages, EveryTypeRendersAndMarkupInANameIsEscaped) {
  for (std::string type :
       {"法定名称章", "财务专用章", "发票专用章", "合同专用章", "业务专用章", "名章"}) {
    std::string svg = render_seal_svg("某某<script>&\"机构\"", type);
    EXPECT_EQ(svg.find("<script>"), std::string::npos);
    EXPECT_NE(svg.find("&lt;"), std::string::npos);
    EXPECT_NE(svg.find("&amp;"), std::string::npos);
    auto r = run({"rsvg-convert", "-o", dir_.file("t.png"), write("t.svg", svg)});
    EXPECT_EQ(r.status, 0) << type << ": " << r.output;
  }
}

}  // namespace
}  // namespace seald::seals::test
