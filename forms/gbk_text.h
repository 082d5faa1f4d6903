#pragma once

// UTF-8 to GBK, the encoding of the PDF's built-in Chinese fonts.

#include <string>
#include <string_view>

#include "core/error.h"

namespace seald::forms {

// Fails with form_text_unencodable when the text is not valid UTF-8 or holds
// a character GBK lacks (some rare characters in names): printing a name
// wrong on an official form is worse than refusing to print it.
Result<std::string> utf8_to_gbk(std::string_view utf8);

// Byte length of the GBK character starting at text[i] (1 or 2).
inline std::size_t gbk_char_length(std::string_view text, std::size_t i) {
  return static_cast<unsigned char>(text[i]) >= 0x81 && i + 1 < text.size() ? 2 : 1;
}

}  // namespace seald::forms
