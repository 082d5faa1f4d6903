#include "metrics/text_format.h"

#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace seald::metrics::text {
namespace {

TEST(TextFormat, EscapesLabelValues) {
  std::string out;
  append_label_value(out, "a\\b\"c\nd");
  EXPECT_EQ(out, "a\\\\b\\\"c\\nd");
}

TEST(TextFormat, EscapesHelpButNotQuotes) {
  std::string out;
  append_help(out, "say \"hi\"\\\nbye");
  EXPECT_EQ(out, "say \"hi\"\\\\\\nbye");
}

TEST(TextFormat, NumbersRoundTripAndSpecialValues) {
  auto num = [](double v) {
    std::string out;
    append_number(out, v);
    return out;
  };
  EXPECT_EQ(num(0.005), "0.005");
  EXPECT_EQ(num(3), "3");
  EXPECT_EQ(num(-1.5), "-1.5");
  EXPECT_EQ(num(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(num(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(num(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(TextFormat, LabelsWithExtraLabelLast) {
  std::vector<std::string> names{"route", "status"};
  std::vector<std::string> values{"healthz", "200"};
  std::string out;
  append_labels(out, names, values, "le", "0.5");
  EXPECT_EQ(out, "{route=\"healthz\",status=\"200\",le=\"0.5\"}");
  out.clear();
  append_labels(out, {}, {});
  EXPECT_EQ(out, "");
}

TEST(TextFormat, ValidatesNames) {
  EXPECT_TRUE(valid_metric_name("seald_http_requests_total"));
  EXPECT_TRUE(valid_metric_name("ns:sub_metric"));
  EXPECT_FALSE(valid_metric_name(""));
  EXPECT_FALSE(valid_metric_name("1abc"));
  EXPECT_FALSE(valid_metric_name("a-b"));
  EXPECT_TRUE(valid_label_name("route"));
  EXPECT_FALSE(valid_label_name("__reserved"));
  EXPECT_FALSE(valid_label_name("a:b"));
  EXPECT_FALSE(valid_label_name("9x"));
}

}  // namespace
}  // namespace seald::metrics::text
