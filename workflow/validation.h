#pragma once

// Input checks for applications. Every refusal is field_missing or
// field_invalid and its message starts with the field's name ("seal_type: ..."),
// so a client can point at the field. Nothing here touches Redis.

#include <string>
#include <string_view>

#include "core/error.h"
#include "workflow/application.h"

namespace seald::workflow {

inline constexpr std::size_t kMaxSealNameChars = 64;
inline constexpr std::size_t kMaxReasonChars = 500;
inline constexpr std::size_t kMaxOrgNameChars = 128;
inline constexpr std::size_t kMaxCommentChars = 1000;
inline constexpr std::size_t kMaxIdChars = 64;

// Required fields for the form's kind present, forbidden ones absent, every
// value well-formed.
Status validate_form(const ApplicationForm& form);

// Ids (users, orgs, uploads, seal codes) go into Redis key names, so they are
// restricted to [A-Za-z0-9_.-]{1,64}: no ':' can make one key look like another.
Status validate_id(std::string_view field, std::string_view value);

// Free text: valid UTF-8, no control characters, at most max_chars code points.
// required: empty is field_missing.
Status validate_text(std::string_view field, std::string_view value, std::size_t max_chars,
                     bool required);

// The form of a seal name that uniqueness is decided on: full-width ASCII
// folded to ASCII, ASCII lower-cased, every run of whitespace (including the
// ideographic space U+3000) made one space, and trimmed. Expects valid UTF-8.
std::string normalise_seal_name(std::string_view name);

// 统一社会信用代码 (GB 32100-2015): 18 characters from the code's alphabet with
// a valid check character.
bool valid_credit_code(std::string_view code);

}  // namespace seald::workflow
