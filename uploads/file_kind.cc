#include "uploads/file_kind.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

namespace seald::uploads {
namespace {

std::uint32_t be32(std::string_view b, std::size_t at) {
  auto u = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b[i]));
  };
  return u(at) << 24 | u(at + 1) << 16 | u(at + 2) << 8 | u(at + 3);
}
std::uint32_t le32(std::string_view b, std::size_t at) {
  auto u = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b[i]));
  };
  return u(at) | u(at + 1) << 8 | u(at + 2) << 16 | u(at + 3) << 24;
}
std::uint32_t le16(std::string_view b, std::size_t at) {
  auto u = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b[i]));
  };
  return u(at) | u(at + 1) << 8;
}
unsigned char byte(std::string_view b, std::size_t at) {
  return static_cast<unsigned char>(b[at]);
}

// Signature, then an IHDR chunk of 13 bytes with a sane size and pixel format.
bool plausible_png(std::string_view b) {
  if (b.size() < 33 || be32(b, 8) != 13 || b.substr(12, 4) != "IHDR") {
    return false;
  }
  std::uint32_t width = be32(b, 16), height = be32(b, 20);
  unsigned depth = byte(b, 24), colour = byte(b, 25);
  bool depth_ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
  bool colour_ok = colour == 0 || colour == 2 || colour == 3 || colour == 4 || colour == 6;
  return width > 0 && height > 0 && width < 0x80000000u && height < 0x80000000u && depth_ok &&
         colour_ok && byte(b, 26) == 0 && byte(b, 27) == 0 && byte(b, 28) <= 1;
}

// SOI, then a marker segment (APPn, DQT, SOFn, COM, ...) whose length fits.
bool plausible_jpeg(std::string_view b) {
  if (b.size() < 6 || byte(b, 0) != 0xFF || byte(b, 1) != 0xD8 || byte(b, 2) != 0xFF) {
    return false;
  }
  unsigned marker = byte(b, 3);
  bool segment = (marker >= 0xC0 && marker <= 0xFE && marker != 0xD8 && marker != 0xD9 &&
                  !(marker >= 0xD0 && marker <= 0xD7));
  std::size_t length = static_cast<std::size_t>(byte(b, 4)) << 8 | byte(b, 5);
  return segment && length >= 2 && 4 + length <= b.size();
}

// BITMAPFILEHEADER + a DIB header of a known size, one plane, a real depth,
// and pixel data that starts inside the file.
bool plausible_bmp(std::string_view b) {
  if (b.size() < 26 || b.substr(0, 2) != "BM") {
    return false;
  }
  std::uint32_t dib = le32(b, 14), offset = le32(b, 10);
  static constexpr std::array<std::uint32_t, 6> kDibSizes = {12, 40, 52, 56, 108, 124};
  if (std::find(kDibSizes.begin(), kDibSizes.end(), dib) == kDibSizes.end() ||
      b.size() < 14 + dib || offset < 14 + dib || offset > b.size()) {
    return false;
  }
  std::uint32_t planes = dib == 12 ? le16(b, 22) : le16(b, 26);
  std::uint32_t bpp = dib == 12 ? le16(b, 24) : le16(b, 28);
  std::uint32_t width = dib == 12 ? le16(b, 18) : le32(b, 18);
  std::uint32_t height = dib == 12 ? le16(b, 20) : le32(b, 22);
  bool bpp_ok = bpp == 1 || bpp == 4 || bpp == 8 || bpp == 16 || bpp == 24 || bpp == 32;
  return planes == 1 && bpp_ok && width != 0 && height != 0;
}

// Signature and version, then a logical screen of non-zero size.
bool plausible_gif(std::string_view b) {
  return b.size() >= 13 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a") &&
         le16(b, 6) != 0 && le16(b, 8) != 0;
}

// "%PDF-1.x" or "%PDF-2.0" at the start and an end-of-file marker near the
// end: a scan cut off during upload has no %%EOF.
bool plausible_pdf(std::string_view b) {
  if (b.size() < 16 || b.substr(0, 5) != "%PDF-") {
    return false;
  }
  char major = b[5], minor = b[7];
  if (!((major == '1' && minor >= '0' && minor <= '7') || (major == '2' && minor == '0')) ||
      b[6] != '.') {
    return false;
  }
  std::size_t tail = std::min<std::size_t>(b.size(), 1024);
  return b.substr(b.size() - tail).find("%%EOF") != std::string_view::npos;
}

Error unsupported(std::string why) {
  return make_error("upload_type_unsupported",
                    why + " (seald recognises PNG, JPEG, BMP, GIF and PDF)");
}

}  // namespace

std::string_view content_type(FileKind kind) {
  switch (kind) {
    case FileKind::png:
      return "image/png";
    case FileKind::jpeg:
      return "image/jpeg";
    case FileKind::bmp:
      return "image/bmp";
    case FileKind::gif:
      return "image/gif";
    case FileKind::pdf:
      return "application/pdf";
  }
  return "application/octet-stream";
}

std::string_view display_name(FileKind kind) {
  switch (kind) {
    case FileKind::png:
      return "PNG";
    case FileKind::jpeg:
      return "JPEG";
    case FileKind::bmp:
      return "BMP";
    case FileKind::gif:
      return "GIF";
    case FileKind::pdf:
      return "PDF";
  }
  return "unknown";
}

std::optional<FileKind> kind_from_content_type(std::string_view type) {
  for (auto kind : {FileKind::png, FileKind::jpeg, FileKind::bmp, FileKind::gif, FileKind::pdf}) {
    if (content_type(kind) == type) {
      return kind;
    }
  }
  return std::nullopt;
}

Result<FileKind> detect(std::string_view b) {
  struct Probe {
    std::string_view magic;
    FileKind kind;
    bool (*plausible)(std::string_view);
  };
  static constexpr std::array<Probe, 6> kProbes = {{
      {"\x89PNG\r\n\x1a\n", FileKind::png, plausible_png},
      {"\xFF\xD8\xFF", FileKind::jpeg, plausible_jpeg},
      {"BM", FileKind::bmp, plausible_bmp},
      {"GIF87a", FileKind::gif, plausible_gif},
      {"GIF89a", FileKind::gif, plausible_gif},
      {"%PDF-", FileKind::pdf, plausible_pdf},
  }};
  for (const auto& p : kProbes) {
    if (b.starts_with(p.magic)) {
      if (!p.plausible(b)) {
        return unsupported("the file starts like a " + std::string(display_name(p.kind)) +
                           " but its header is truncated or malformed");
      }
      return p.kind;
    }
  }
  return unsupported("the file's content is not a recognised image or PDF");
}

Result<FileKind> check_upload(std::string_view bytes, const UploadPolicy& policy) {
  if (bytes.empty()) {
    return make_error("upload_empty", "the uploaded file is empty");
  }
  if (bytes.size() > policy.max_bytes) {
    return make_error("upload_too_large", "the uploaded file has " + std::to_string(bytes.size()) +
                                              " bytes; the limit is " +
                                              std::to_string(policy.max_bytes));
  }
  auto kind = detect(bytes);
  if (!kind) {
    return kind.error();
  }
  if (std::find(policy.accepted.begin(), policy.accepted.end(), *kind) == policy.accepted.end()) {
    std::string accepted;
    for (auto k : policy.accepted) {
      accepted += (accepted.empty() ? "" : ", ") + std::string(display_name(k));
    }
    return make_error("upload_type_not_accepted",
                      "a " + std::string(display_name(*kind)) +
                          " file is not accepted here; accepted: " + accepted);
  }
  return *kind;
}

}  // namespace seald::uploads
