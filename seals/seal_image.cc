#include "seals/seal_image.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

namespace seald::seals {
namespace {

constexpr double kCentre = 120.0;
constexpr double kRingRadius = 112.0;
constexpr double kRimTextRadius = 84.0;  // where the rim text's size is worked out
constexpr double kStarOuter = 34.0;
constexpr double kStarInner = kStarOuter * 0.382;  // the regular star's ratio
constexpr const char* kRed = "#d7000f";
constexpr const char* kFonts = "WenQuanYi Micro Hei, Noto Sans CJK SC, SimSun, sans-serif";

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Characters, not bytes: each Chinese character is one glyph on the rim.
std::vector<std::string> split_code_points(std::string_view utf8) {
  std::vector<std::string> out;
  for (char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80 || out.empty()) {
      out.emplace_back();
    }
    out.back() += c;
  }
  return out;
}

std::string star_points() {
  std::string points;
  for (int i = 0; i < 10; ++i) {
    double r = i % 2 == 0 ? kStarOuter : kStarInner;
    // Point 0 straight up; SVG's y axis points down.
    double angle = -std::numbers::pi / 2 + i * std::numbers::pi / 5;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s%.2f,%.2f", i == 0 ? "" : " ", kCentre + r * std::cos(angle),
                  kCentre + r * std::sin(angle));
    points += buf;
  }
  return points;
}

}  // namespace

std::string render_seal_svg(std::string_view org_name, std::string_view type_name) {
  // The rim text spans up to 240 degrees over the top, like a stamped
  // official seal. Each character is placed and turned on its own rather
  // than through <textPath>, which some renderers (librsvg among them) do
  // not draw. Long names get smaller glyphs instead of running into the
  // type line.
  std::vector<std::string> glyphs = split_code_points(org_name);
  const double max_arc = 240.0;
  const double arc_length = kRimTextRadius * max_arc * std::numbers::pi / 180.0;
  double n = static_cast<double>(std::max<std::size_t>(glyphs.size(), 1));
  double font = std::clamp(arc_length / n * 0.85, 10.0, 24.0);
  // The glyphs stand on a baseline just far enough in for their tops to
  // clear the ring.
  const double radius = kRingRadius - 8.0 - font;
  // Angle per glyph: a glyph's width plus a little air, as seen from the centre.
  double step = std::min(max_arc / n, (font * 1.1) / radius * 180.0 / std::numbers::pi);
  double first = -90.0 - step * (n - 1) / 2.0;  // degrees; -90 is straight up

  char buf[512];
  std::string svg =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"240\" "
      "viewBox=\"0 0 240 240\">\n";
  std::snprintf(buf, sizeof buf,
                "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"%.0f\" fill=\"none\" stroke=\"%s\" "
                "stroke-width=\"6\"/>\n",
                kCentre, kCentre, kRingRadius, kRed);
  svg += buf;
  std::snprintf(buf, sizeof buf,
                "<g font-family=\"%s\" font-size=\"%.1f\" font-weight=\"bold\" fill=\"%s\" "
                "text-anchor=\"middle\">\n",
                kFonts, font, kRed);
  svg += buf;
  for (std::size_t i = 0; i < glyphs.size(); ++i) {
    double degrees = first + step * static_cast<double>(i);
    double radians = degrees * std::numbers::pi / 180.0;
    double x = kCentre + radius * std::cos(radians);
    double y = kCentre + radius * std::sin(radians);
    // Turned so the glyph's top points away from the centre.
    std::snprintf(buf, sizeof buf,
                  "<text x=\"%.2f\" y=\"%.2f\" transform=\"rotate(%.2f %.2f %.2f)\">", x, y,
                  degrees + 90.0, x, y);
    svg += buf;
    svg += escape_xml(glyphs[i]);
    svg += "</text>\n";
  }
  svg += "</g>\n";
  svg += "<polygon points=\"" + star_points() + "\" fill=\"" + kRed + "\"/>\n";
  std::snprintf(buf, sizeof buf,
                "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" font-family=\"%s\" "
                "font-size=\"18\" fill=\"%s\">",
                kCentre, kCentre + 68.0, kFonts, kRed);
  svg += buf;
  svg += escape_xml(type_name);
  svg += "</text>\n</svg>\n";
  return svg;
}

}  // namespace seald::seals
