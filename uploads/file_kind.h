#pragma once

// The kinds of file seald accepts as uploads (scanned application forms,
// business licences, seal images), told apart by content, never by name.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace seald::uploads {

enum class FileKind { png, jpeg, bmp, gif, pdf };

// "image/png", "image/jpeg", "image/bmp", "image/gif", "application/pdf".
std::string_view content_type(FileKind kind);
// "PNG", "JPEG", ...: for messages and logs.
std::string_view display_name(FileKind kind);
std::optional<FileKind> kind_from_content_type(std::string_view content_type);

inline constexpr std::size_t kDefaultMaxUploadBytes = 10 * 1024 * 1024;

// What a caller accepts at one place: the application-form upload takes all
// five kinds (manual §3.1.3), a seal image only PNG.
struct UploadPolicy {
  std::vector<FileKind> accepted{FileKind::png, FileKind::jpeg, FileKind::bmp, FileKind::gif,
                                 FileKind::pdf};
  std::size_t max_bytes = kDefaultMaxUploadBytes;
};

// Recognises the kind from magic bytes plus a sanity check of the header's
// structure. Fails with upload_type_unsupported for anything else,
// including a recognised kind whose header is truncated or malformed.
Result<FileKind> detect(std::string_view bytes);

// detect() under a policy. Fails with upload_empty, upload_too_large,
// upload_type_unsupported or upload_type_not_accepted.
Result<FileKind> check_upload(std::string_view bytes, const UploadPolicy& policy);

}  // namespace seald::uploads
