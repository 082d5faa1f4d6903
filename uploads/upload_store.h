#pragma once

// Uploaded files in Redis (keys in docs/redis/uploads.md). An upload is
// checked (kind by content, size) before it is stored and never changes
// afterwards; one HASH holds its bytes and metadata, so every operation is
// a single atomic command or script.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "redis/pool.h"
#include "uploads/file_kind.h"

namespace seald::uploads {

struct UploadInfo {
  std::string id;  // 32 hex characters, random: an id cannot be guessed from another
  FileKind kind = FileKind::pdf;
  std::string content_type;  // from the detected kind, never from the client
  std::size_t size = 0;
  std::string sha256;       // lower-case hex of the bytes
  std::string uploader_id;  // the user who uploaded it
  std::int64_t created_ms = 0;
};

struct Upload {
  UploadInfo info;
  std::string bytes;
};

class UploadStore {
 public:
  explicit UploadStore(redis::Pool& pool) : pool_(pool) {}

  // Checks the bytes against the policy (see check_upload), then stores them.
  // Also fails with upload_uploader_invalid when uploader_id is empty.
  Result<UploadInfo> put(std::string_view bytes, std::string_view uploader_id,
                         const UploadPolicy& policy);

  Result<Upload> get(std::string_view id);
  // The metadata without the bytes, for listings and checks.
  Result<UploadInfo> info(std::string_view id);
  Status remove(std::string_view id);

 private:
  redis::Pool& pool_;
};

}  // namespace seald::uploads
