#include "config/property_table.hpp"

#include <array>
#include <climits>

#include "config/text.hpp"

namespace zdu::config {
namespace {

constexpr int kNoLimit = INT_MAX;

const std::array<PropertySpec, 16> kProperties{{
    {"response-timeout-in-seconds",
     IntegerProperty{&Settings::response_timeout_seconds, 0, kNoLimit}},
    {"reload-poll-interval-in-seconds",
     IntegerProperty{&Settings::reload_poll_interval_seconds, 0, kNoLimit}},
    {"https-routing", BooleanProperty{&Settings::https_routing}},
    {"require-monitor-data", BooleanProperty{&Settings::require_monitor_data}},
    {"active-healthcheck-enabled", BooleanProperty{&Settings::active_healthcheck_enabled}},
    {"number-healthcheck-retries", IntegerProperty{&Settings::number_healthcheck_retries, 1, 1000}},
    {"rewrite-location", BooleanProperty{&Settings::rewrite_location}},
    {"rewrite-cookies", BooleanProperty{&Settings::rewrite_cookies}},
    {"preferred-failover-instance", BooleanProperty{&Settings::preferred_failover_instance}},
    {"zdu-minute-in-seconds", IntegerProperty{&Settings::minute_seconds, 1, kNoLimit}},
    {"zdu-passive-failures-in-a-row",
     IntegerProperty{&Settings::passive_failures_in_a_row, 1, 1000}},
    {"zdu-passive-min-healthy-percent",
     IntegerProperty{&Settings::passive_min_healthy_percent, 0, 100}},
    {"zdu-connect-timeout-in-seconds",
     IntegerProperty{&Settings::connect_timeout_seconds, 1, kNoLimit}},
    {"zdu-connection-ttl-in-seconds",
     IntegerProperty{&Settings::connection_ttl_seconds, 0, kNoLimit}},
    {"zdu-session-timeout-in-minutes",
     IntegerProperty{&Settings::session_timeout_minutes, 1, kNoLimit}},
    {"session-sweep-interval-in-seconds",
     IntegerProperty{&Settings::session_sweep_interval_seconds, 1, 3600}},
}};

std::string range_text(const IntegerProperty& p) {
    if (p.max == kNoLimit) return ">= " + std::to_string(p.min);
    return std::to_string(p.min) + ".." + std::to_string(p.max);
}

std::optional<std::string> integer_problem(const IntegerProperty& p, std::string_view value) {
    const auto n = parse_int(value);
    if (!n) return "'" + std::string(value) + "' is not an integer";
    if (*n < p.min || *n > p.max) {
        return std::to_string(*n) + " is out of range (must be " + range_text(p) + ")";
    }
    return std::nullopt;
}

std::optional<std::string> boolean_problem(std::string_view value) {
    if (parse_bool(value)) return std::nullopt;
    return "'" + std::string(value) +
           "' is not a boolean (expected true, false, yes, no, on, off, 1 or 0)";
}

}  // namespace

const PropertySpec* find_property_spec(std::string_view name) {
    for (const auto& spec : kProperties) {
        if (spec.name == name) return &spec;
    }
    return nullptr;
}

std::optional<std::string> property_value_problem(const PropertySpec& spec,
                                                  std::string_view value) {
    if (const auto* p = std::get_if<IntegerProperty>(&spec.kind)) return integer_problem(*p, value);
    return boolean_problem(value);
}

void apply_property(const PropertySpec& spec, std::string_view value, Settings& settings) {
    if (property_value_problem(spec, value)) return;
    if (const auto* p = std::get_if<IntegerProperty>(&spec.kind)) {
        settings.*(p->field) = *parse_int(value);
    } else {
        settings.*(std::get<BooleanProperty>(spec.kind).field) = *parse_bool(value);
    }
}

}  // namespace zdu::config
