// /metrics: the status data in Prometheus' text exposition format 0.0.4. Counters (ending in
// _total) and gauges per cluster, instance and version, each family once with its HELP and TYPE
// lines. Pure: StatusData in, text out, so it always agrees with the status JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "manager/status.hpp"

namespace zdu::metrics {

inline constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4";

// A label value between its quotes: backslash, double quote and line feed escaped.
std::string escape_label_value(std::string_view value);
// HELP text: backslash and line feed escaped.
std::string escape_help(std::string_view text);
// `value` in units of 1/`unit` (a power of ten) as a decimal, without the locale:
// decimal_text(1500, 1000) == "1.500".
std::string decimal_text(std::uint64_t value, std::uint64_t unit);
// Microseconds as seconds with six decimals, without the locale ("1.500000").
std::string seconds_text(std::uint64_t micros);

std::string prometheus_text(const manager::StatusData& data);

}  // namespace zdu::metrics
