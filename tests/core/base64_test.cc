// base64 as the signing API reads it: RFC 4648 test vectors round-trip, and
// everything that is not canonical padded base64 is refused.

#include "core/base64.h"

#include <gtest/gtest.h>

namespace seald {
namespace {

std::vector<std::uint8_t> bytes(std::string_view s) {
  return {s.begin(), s.end()};
}

TEST(Base64, Rfc4648VectorsRoundTrip) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(bytes(plain)), encoded);
    auto decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(*decoded, bytes(plain));
  }
  std::vector<std::uint8_t> all(256);
  for (int i = 0; i < 256; ++i) {
    all[i] = static_cast<std::uint8_t>(i);
  }
  EXPECT_EQ(base64_decode(base64_encode(all)), all);
}

TEST(Base64, RefusesWhatIsNotCanonicalPaddedBase64) {
  for (const char* bad : {"Zg", "Zg=", "Zm9", "Zm9v\n", " Zm9v", "Zm9v====", "Z===", "Zm-v", "Zm_v",
                          "Zh==", "Zm9=Yg==", "=Zm9", "Zm 9v"}) {
    EXPECT_FALSE(base64_decode(bad)) << bad;
  }
}

}  // namespace
}  // namespace seald

namespace seald {
namespace {

TEST(Hex, TwoLowerCaseDigitsPerByte) {
  EXPECT_EQ(hex_encode(std::vector<std::uint8_t>{}), "");
  EXPECT_EQ(hex_encode(std::vector<std::uint8_t>{0x00, 0x0f, 0xa5, 0xff}), "000fa5ff");
}

}  // namespace
}  // namespace seald
