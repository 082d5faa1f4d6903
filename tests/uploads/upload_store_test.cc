#include "uploads/upload_store.h"

#include <gtest/gtest.h>

#include "tests/support/child_process.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"
#include "tests/uploads/sample_files.h"

namespace seald::uploads {
namespace {

// SHA-256 by an independent tool.
std::string sha256sum(const std::string& bytes) {
  seald::testing::TempDir dir;
  seald::testing::write_file(dir.file("f"), bytes);
  std::string out;
  EXPECT_EQ(seald::testing::run_command({"sha256sum", dir.file("f")}, &out), 0);
  return out.substr(0, 64);
}

class UploadStoreTest : public ::testing::Test {
 protected:
  UploadStoreTest() : pool_(endpoint(), 4), store_(pool_) {}
  redis::Endpoint endpoint() {
    redis::Endpoint e;
    e.port = server_.port();
    return e;
  }
  std::string dbsize() { return server_.cli({"DBSIZE"}); }

  seald::testing::RedisServer server_;
  redis::Pool pool_;
  UploadStore store_;
};

TEST_F(UploadStoreTest, PutThenGetReturnsTheSameBytesAndMetadata) {
  std::string pdf = samples::pdf();
  pdf.insert(pdf.size() - 7, std::string("% binary \x00\xff\r\n", 14));  // NUL and CR survive
  auto put = store_.put(pdf, "user-42", UploadPolicy{});
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_EQ(put->id.size(), 32u);
  EXPECT_EQ(put->kind, FileKind::pdf);
  EXPECT_EQ(put->content_type, "application/pdf");
  EXPECT_EQ(put->size, pdf.size());
  EXPECT_EQ(put->sha256, sha256sum(pdf));
  EXPECT_EQ(put->uploader_id, "user-42");
  EXPECT_GT(put->created_ms, 1'600'000'000'000);

  auto got = store_.get(put->id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->bytes, pdf);
  EXPECT_EQ(got->info.sha256, put->sha256);
  EXPECT_EQ(got->info.uploader_id, "user-42");
  EXPECT_EQ(got->info.created_ms, put->created_ms);
  EXPECT_EQ(got->info.size, pdf.size());

  auto info = store_.info(put->id);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->content_type, "application/pdf");
  EXPECT_EQ(info->size, pdf.size());
}

TEST_F(UploadStoreTest, ContentTypeComesFromTheContent) {
  auto png = store_.put(samples::png(), "u1", UploadPolicy{});
  auto gif = store_.put(samples::gif(), "u1", UploadPolicy{});
  ASSERT_TRUE(png && gif);
  EXPECT_EQ(store_.get(png->id)->info.content_type, "image/png");
  EXPECT_EQ(store_.get(gif->id)->info.content_type, "image/gif");
  EXPECT_NE(png->id, gif->id);
}

TEST_F(UploadStoreTest, RefusedUploadsStoreNothing) {
  UploadPolicy png_only{{FileKind::png}, 1024};
  EXPECT_EQ(store_.put(samples::pdf(), "u1", png_only).error().code, "upload_type_not_accepted");
  EXPECT_EQ(store_.put("MZ not an image", "u1", png_only).error().code, "upload_type_unsupported");
  EXPECT_EQ(store_.put(std::string(2000, 'x'), "u1", png_only).error().code, "upload_too_large");
  EXPECT_EQ(store_.put("", "u1", png_only).error().code, "upload_empty");
  EXPECT_EQ(store_.put(samples::png(), "", png_only).error().code, "upload_uploader_invalid");
  EXPECT_EQ(dbsize(), "0");
}

TEST_F(UploadStoreTest, RemovedUploadIsGone) {
  auto put = store_.put(samples::bmp(), "u1", UploadPolicy{});
  ASSERT_TRUE(put);
  ASSERT_TRUE(store_.remove(put->id));
  EXPECT_EQ(store_.get(put->id).error().code, "upload_not_found");
  EXPECT_EQ(store_.info(put->id).error().code, "upload_not_found");
  EXPECT_EQ(store_.remove(put->id).error().code, "upload_not_found");
  EXPECT_EQ(dbsize(), "0");
}

TEST_F(UploadStoreTest, UnknownOrMalformedIdsAreNotFound) {
  EXPECT_EQ(store_.get("0123456789abcdef0123456789abcdef").error().code, "upload_not_found");
  EXPECT_EQ(store_.get("../../etc/passwd").error().code, "upload_not_found");
  EXPECT_EQ(store_.get("").error().code, "upload_not_found");
}

TEST_F(UploadStoreTest, UploadsSurviveARedisRestart) {
  auto put = store_.put(samples::png(), "u1", UploadPolicy{});
  ASSERT_TRUE(put);
  server_.stop();
  server_.start();
  // The pool drops the connection the restart broke: at most one call sees
  // redis_unavailable, the next one reconnects.
  auto first = store_.get(put->id);
  if (!first) {
    EXPECT_EQ(first.error().code, "redis_unavailable");
  }
  auto got = store_.get(put->id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->bytes, samples::png());
}

TEST_F(UploadStoreTest, RedisDownIsAClearError) {
  server_.stop();
  auto r = store_.put(samples::png(), "u1", UploadPolicy{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "redis_unavailable");
}

}  // namespace
}  // namespace seald::uploads
