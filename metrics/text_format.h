#pragma once

// Pieces of the Prometheus text exposition format, kept apart from the
// registry so the escaping rules can be read (and tested) on their own.

#include <span>
#include <string>
#include <string_view>

namespace seald::metrics::text {

// Label values escape backslash, double quote and newline.
void append_label_value(std::string& out, std::string_view value);
// HELP text escapes backslash and newline only.
void append_help(std::string& out, std::string_view help);
// Shortest round-trip decimal; +Inf, -Inf and NaN as Prometheus spells them.
void append_number(std::string& out, double value);
// {a="x",b="y"} or nothing when there are no labels; an extra label (le for
// histogram buckets) goes last when extra_name is not empty.
void append_labels(std::string& out, std::span<const std::string> names,
                   std::span<const std::string> values, std::string_view extra_name = {},
                   std::string_view extra_value = {});

bool valid_metric_name(std::string_view name);
bool valid_label_name(std::string_view name);

}  // namespace seald::metrics::text
