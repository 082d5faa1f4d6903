#include "uploads/file_kind.h"

#include <gtest/gtest.h>

#include "tests/uploads/sample_files.h"

namespace seald::uploads {
namespace {

struct Sample {
  std::string bytes;
  FileKind kind;
  const char* content_type;
};

std::vector<Sample> all_samples() {
  return {{samples::png(), FileKind::png, "image/png"},
          {samples::jpeg(), FileKind::jpeg, "image/jpeg"},
          {samples::bmp(), FileKind::bmp, "image/bmp"},
          {samples::gif(), FileKind::gif, "image/gif"},
          {samples::pdf(), FileKind::pdf, "application/pdf"}};
}

TEST(Detect, EachAcceptedKindIsRecognisedByContent) {
  for (const auto& s : all_samples()) {
    auto kind = detect(s.bytes);
    ASSERT_TRUE(kind) << s.content_type << ": " << kind.error().message;
    EXPECT_EQ(*kind, s.kind) << s.content_type;
    EXPECT_EQ(content_type(*kind), s.content_type);
    auto checked = check_upload(s.bytes, UploadPolicy{});
    EXPECT_TRUE(checked) << s.content_type;
  }
}

TEST(Detect, GIF87aIsAGifToo) {
  std::string gif = samples::gif();
  gif.replace(0, 6, "GIF87a");
  EXPECT_EQ(*detect(gif), FileKind::gif);
}

// The API takes no file name at all: what the client calls a file cannot
// change what it is. A PNG offered where only PDF is accepted is refused as
// the PNG it is.
TEST(Detect, APngSentAsAPdfIsStillAPng) {
  UploadPolicy pdf_only{{FileKind::pdf}, kDefaultMaxUploadBytes};
  auto r = check_upload(samples::png(), pdf_only);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "upload_type_not_accepted");
  EXPECT_NE(r.error().message.find("PNG"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("accepted: PDF"), std::string::npos) << r.error().message;
}

TEST(Detect, SealImagePolicyTakesOnlyPng) {
  UploadPolicy png_only{{FileKind::png}, kDefaultMaxUploadBytes};
  EXPECT_TRUE(check_upload(samples::png(), png_only));
  for (const auto& s : all_samples()) {
    if (s.kind != FileKind::png) {
      auto r = check_upload(s.bytes, png_only);
      ASSERT_FALSE(r) << s.content_type;
      EXPECT_EQ(r.error().code, "upload_type_not_accepted");
    }
  }
}

TEST(Detect, OtherFormatsAreUnsupported) {
  std::string exe = "MZ\x90";
  exe += std::string(0x3c - exe.size(), '\0') + std::string("\x80\0\0\0", 4) +
         std::string(0x40, '\0') + std::string("PE\0\0", 4);
  std::string zip("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10);
  zip += std::string(40, 'z');
  std::string text = "统一社会信用代码, just some text\n";
  std::string html = "<!DOCTYPE html><html><body>%PDF-1.4</body></html>";
  for (const auto& bytes : {exe, zip, text, html}) {
    auto r = detect(bytes);
    ASSERT_FALSE(r) << bytes.substr(0, 8);
    EXPECT_EQ(r.error().code, "upload_type_unsupported");
    EXPECT_EQ(check_upload(bytes, UploadPolicy{}).error().code, "upload_type_unsupported");
  }
}

TEST(Detect, TruncatedOrMalformedHeadersAreUnsupported) {
  std::string bad_png_ihdr = samples::png();
  bad_png_ihdr[24] = 7;  // bit depth 7 does not exist
  std::string bad_bmp = samples::bmp();
  bad_bmp[14] = 41;  // unknown DIB header size
  std::string zero_gif = samples::gif();
  zero_gif[6] = zero_gif[7] = 0;  // zero-width screen
  std::string pdf_no_eof = samples::pdf();
  pdf_no_eof.resize(pdf_no_eof.size() - 7);
  std::string jpeg_cut = samples::jpeg().substr(0, 10);  // APP0 says 16 bytes follow
  const std::pair<std::string, const char*> cases[] = {
      {samples::png().substr(0, 20), "PNG"},
      {bad_png_ihdr, "PNG"},
      {bad_bmp, "BMP"},
      {samples::bmp().substr(0, 20), "BMP"},
      {zero_gif, "GIF"},
      {samples::gif().substr(0, 8), "GIF"},
      {pdf_no_eof, "PDF"},
      {jpeg_cut, "JPEG"},
      {std::string("\xff\xd8\xff", 3), "JPEG"},
  };
  for (const auto& [bytes, name] : cases) {
    auto r = detect(bytes);
    ASSERT_FALSE(r) << name << " " << bytes.size();
    EXPECT_EQ(r.error().code, "upload_type_unsupported");
    EXPECT_NE(r.error().message.find(std::string(name) + " but its header is truncated"),
              std::string::npos)
        << r.error().message;
  }
}

TEST(CheckUpload, EmptyAndOversizedFilesAreRefused) {
  EXPECT_EQ(check_upload("", UploadPolicy{}).error().code, "upload_empty");
  std::string pdf = samples::pdf();
  UploadPolicy exact{{FileKind::pdf}, pdf.size()};
  EXPECT_TRUE(check_upload(pdf, exact));
  UploadPolicy smaller{{FileKind::pdf}, pdf.size() - 1};
  auto r = check_upload(pdf, smaller);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "upload_too_large");
  EXPECT_NE(r.error().message.find(std::to_string(pdf.size() - 1)), std::string::npos);
  std::string big(kDefaultMaxUploadBytes + 1, 'x');
  EXPECT_EQ(check_upload(big, UploadPolicy{}).error().code, "upload_too_large");
}

}  // namespace
}  // namespace seald::uploads
