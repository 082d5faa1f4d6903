#include "forms/gbk_text.h"

#include <iconv.h>

#include <cerrno>

namespace seald::forms {
namespace {

// iconv_t is a C handle; this owns one.
class Converter {
 public:
  Converter(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
  ~Converter() {
    if (ok()) {
      iconv_close(cd_);
    }
  }
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

}  // namespace

Result<std::string> utf8_to_gbk(std::string_view utf8) {
  Converter conv("GBK", "UTF-8");
  if (!conv.ok()) {
    return make_error("form_render_failed", "the system has no UTF-8 to GBK converter");
  }
  std::string in(utf8);
  // GBK never needs more bytes than UTF-8 for the same text (1 for ASCII,
  // 2 for a character that UTF-8 spends 2 to 4 on).
  std::string out(in.size(), '\0');
  char* src = in.data();
  std::size_t src_left = in.size();
  char* dst = out.data();
  std::size_t dst_left = out.size();
  if (iconv(conv.get(), &src, &src_left, &dst, &dst_left) == static_cast<std::size_t>(-1)) {
    std::size_t at = in.size() - src_left;
    return make_error("form_text_unencodable",
                      "text cannot be printed: byte " + std::to_string(at + 1) +
                          " starts invalid UTF-8 or a character the form's font lacks");
  }
  out.resize(out.size() - dst_left);
  return out;
}

}  // namespace seald::forms
