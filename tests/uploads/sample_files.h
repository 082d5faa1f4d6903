#pragma once

// Tiny but complete files of each accepted kind, built here so the tests
// need no binary fixtures.

#include <zlib.h>

#include <cstdint>
#include <string>

namespace seald::uploads::samples {

inline void put_be32(std::string& s, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    s += static_cast<char>((v >> shift) & 0xff);
  }
}
inline void put_le(std::string& s, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    s += static_cast<char>((v >> (8 * i)) & 0xff);
  }
}

inline void png_chunk(std::string& png, const std::string& type, const std::string& data) {
  put_be32(png, static_cast<std::uint32_t>(data.size()));
  std::string body = type + data;
  png += body;
  put_be32(png, static_cast<std::uint32_t>(
                    crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size())));
}

// A 1x1 red pixel, RGB 8-bit.
inline std::string png() {
  std::string out("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  put_be32(ihdr, 1);
  put_be32(ihdr, 1);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);
  png_chunk(out, "IHDR", ihdr);
  std::string raw("\x00\xff\x00\x00", 4);  // filter byte, then R G B
  uLongf len = compressBound(raw.size());
  std::string z(len, '\0');
  compress(reinterpret_cast<Bytef*>(z.data()), &len, reinterpret_cast<const Bytef*>(raw.data()),
           raw.size());
  z.resize(len);
  png_chunk(out, "IDAT", z);
  png_chunk(out, "IEND", "");
  return out;
}

// A 1x1 24-bit bitmap: file header, BITMAPINFOHEADER, one padded row.
inline std::string bmp() {
  std::string out = "BM";
  put_le(out, 58, 4);
  put_le(out, 0, 4);
  put_le(out, 54, 4);
  put_le(out, 40, 4);
  put_le(out, 1, 4);   // width
  put_le(out, 1, 4);   // height
  put_le(out, 1, 2);   // planes
  put_le(out, 24, 2);  // bits per pixel
  put_le(out, 0, 4);   // BI_RGB
  put_le(out, 4, 4);   // image size
  put_le(out, 2835, 4);
  put_le(out, 2835, 4);
  put_le(out, 0, 4);
  put_le(out, 0, 4);
  out += std::string("\x00\x00\xff\x00", 4);  // B G R + padding
  return out;
}

// A 1x1 GIF89a with a two-colour palette.
inline std::string gif() {
  return std::string(
      "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00"
      ",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00;",
      35);
}

// SOI, a JFIF APP0 segment, EOI: the structure a JPEG starts with (no scan).
inline std::string jpeg() {
  std::string out("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
  out += std::string("\xff\xd9", 2);
  return out;
}

// A one-page PDF with a correct cross-reference table.
inline std::string pdf() {
  std::string out = "%PDF-1.4\n";
  std::string objects[] = {
      "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
      "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
      "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n",
  };
  std::string xref = "xref\n0 4\n0000000000 65535 f \n";
  for (const auto& o : objects) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", out.size());
    xref += line;
    out += o;
  }
  std::size_t at = out.size();
  out +=
      xref + "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n" + std::to_string(at) + "\n%%EOF\n";
  return out;
}

}  // namespace seald::uploads::samples
