#include "server/listen_address.h"

#include <gtest/gtest.h>

namespace seald::server {
namespace {

TEST(ListenAddress, ParsesHostPortForms) {
  auto v4 = parse_listen_address("127.0.0.1:8080");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8080);

  auto v6 = parse_listen_address("[::1]:8443");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8443);

  auto name = parse_listen_address("localhost:0");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->host, "localhost");
  EXPECT_EQ(name->port, 0);
}

TEST(ListenAddress, RejectsMalformedInputWithAClearMessage) {
  for (const char* bad :
       {"", "8080", "127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:65536", "127.0.0.1:-1",
        "127.0.0.1:80x", "::1:8080", "[::1]8080", "[::1]", "[]:80", "host name:80", "[zz]:80"}) {
    auto parsed = parse_listen_address(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, "config_invalid");
    EXPECT_NE(parsed.error().message.find("server.listen"), std::string::npos);
  }
}

}  // namespace
}  // namespace seald::server
