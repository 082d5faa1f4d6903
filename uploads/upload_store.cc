#include "uploads/upload_store.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace seald::uploads {
namespace {

constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kMaxUploaderBytes = 128;

// KEYS: upload. ARGV: field/value pairs. Refuses to overwrite: ids are
// random, but a collision must never replace someone else's file.
constexpr std::string_view kPutScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
)lua";

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 0x0f];
  }
  return out;
}

Result<std::string> random_id() {
  std::array<unsigned char, kIdBytes> raw{};
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    return make_error("upload_store_failed", "no randomness for an upload id");
  }
  return hex(raw.data(), raw.size());
}

Result<std::string> sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) {
    return make_error("upload_store_failed", "SHA-256 failed");
  }
  return hex(md.data(), len);
}

bool well_formed_id(std::string_view id) {
  return id.size() == kIdBytes * 2 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string upload_key(std::string_view id) {
  return "seald:uploads:upload:" + std::string(id);
}

Error not_found(std::string_view id) {
  return make_error("upload_not_found", "upload " + std::string(id) + " does not exist");
}

std::int64_t to_int(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// Reads the metadata fields of an HMGET reply in kInfoFields order.
constexpr std::array<std::string_view, 5> kInfoFields = {"content_type", "size", "sha256",
                                                         "uploader", "created_ms"};

Result<UploadInfo> parse_info(std::string_view id, const redis::Reply& reply) {
  if (reply.element(0)->type == REDIS_REPLY_NIL) {
    return not_found(id);
  }
  auto field = [&](std::size_t i) {
    const redisReply* e = reply.element(i);
    return e->type == REDIS_REPLY_STRING ? std::string_view(e->str, e->len) : std::string_view();
  };
  UploadInfo info;
  info.id = std::string(id);
  info.content_type = std::string(field(0));
  auto kind = kind_from_content_type(info.content_type);
  if (!kind) {
    return make_error("redis_error", "upload " + info.id + " has an unknown content type");
  }
  info.kind = *kind;
  info.size = static_cast<std::size_t>(to_int(field(1)));
  info.sha256 = std::string(field(2));
  info.uploader_id = std::string(field(3));
  info.created_ms = to_int(field(4));
  return info;
}

}  // namespace

Result<UploadInfo> UploadStore::put(std::string_view bytes, std::string_view uploader_id,
                                    const UploadPolicy& policy) {
  if (uploader_id.empty() || uploader_id.size() > kMaxUploaderBytes) {
    return make_error("upload_uploader_invalid", "an upload needs the id of the user uploading it");
  }
  auto kind = check_upload(bytes, policy);
  if (!kind) {
    return kind.error();
  }
  auto id = random_id();
  if (!id) {
    return id.error();
  }
  auto digest = sha256_hex(bytes);
  if (!digest) {
    return digest.error();
  }
  UploadInfo info;
  info.id = *id;
  info.kind = *kind;
  info.content_type = std::string(content_type(*kind));
  info.size = bytes.size();
  info.sha256 = *digest;
  info.uploader_id = std::string(uploader_id);
  info.created_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();

  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string key = upload_key(info.id);
  std::string size = std::to_string(info.size);
  std::string created = std::to_string(info.created_ms);
  auto reply = (*lease)->command({"EVAL", kPutScript, "1", key, "content_type", info.content_type,
                                  "size", size, "sha256", info.sha256, "uploader", info.uploader_id,
                                  "created_ms", created, "version", "1", "data", bytes});
  if (!reply) {
    return reply.error();
  }
  if (reply->integer() != 1) {
    return make_error("upload_store_failed", "upload id collision; try again");
  }
  return info;
}

Result<UploadInfo> UploadStore::info(std::string_view id) {
  if (!well_formed_id(id)) {
    return not_found(id);
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string key = upload_key(id);
  std::vector<std::string_view> args{"HMGET", key};
  args.insert(args.end(), kInfoFields.begin(), kInfoFields.end());
  auto reply = (*lease)->command(args);
  if (!reply) {
    return reply.error();
  }
  return parse_info(id, *reply);
}

Result<Upload> UploadStore::get(std::string_view id) {
  if (!well_formed_id(id)) {
    return not_found(id);
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  std::string key = upload_key(id);
  std::vector<std::string_view> args{"HMGET", key};
  args.insert(args.end(), kInfoFields.begin(), kInfoFields.end());
  args.push_back("data");
  auto reply = (*lease)->command(args);
  if (!reply) {
    return reply.error();
  }
  auto info = parse_info(id, *reply);
  if (!info) {
    return info.error();
  }
  const redisReply* data = reply->element(kInfoFields.size());
  Upload upload{std::move(*info), std::string(data->str, data->len)};
  return upload;
}

Status UploadStore::remove(std::string_view id) {
  if (!well_formed_id(id)) {
    return not_found(id);
  }
  auto lease = pool_.acquire();
  if (!lease) {
    return lease.error();
  }
  auto reply = (*lease)->command({"DEL", upload_key(id)});
  if (!reply) {
    return reply.error();
  }
  if (reply->integer() == 0) {
    return not_found(id);
  }
  return {};
}

}  // namespace seald::uploads
