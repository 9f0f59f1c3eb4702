// The typed view of the <property> elements.
#include <catch2/catch.hpp>
#include <string>

#include "config/loader.hpp"
#include "config/settings.hpp"

using namespace zdu::config;

namespace {

LoadBalancer with_properties(std::vector<std::pair<std::string, std::string>> pairs) {
    LoadBalancer lb;
    for (auto& [name, value] : pairs) lb.properties.push_back({name, value, "", 0});
    return lb;
}

}  // namespace

TEST_CASE("settings default to GlassFish's", "[config][settings]") {
    const Settings s = settings_of(LoadBalancer{});
    CHECK(s.response_timeout_seconds == 60);
    CHECK(s.reload_poll_interval_seconds == 60);
    CHECK_FALSE(s.https_routing);
    CHECK_FALSE(s.require_monitor_data);
    CHECK_FALSE(s.active_healthcheck_enabled);
    CHECK(s.number_healthcheck_retries == 3);
    CHECK(s.rewrite_location);
    CHECK_FALSE(s.rewrite_cookies);
    CHECK(s.preferred_failover_instance);
    CHECK(s.minute_seconds == 60);
    CHECK(s.session_timeout_minutes == 30);
    CHECK(s.session_sweep_interval_seconds == 5);
}

TEST_CASE("every known property reaches its setting", "[config][settings]") {
    const Settings s = settings_of(with_properties({
        {"response-timeout-in-seconds", "15"},
        {"reload-poll-interval-in-seconds", "0"},
        {"https-routing", "yes"},
        {"require-monitor-data", "on"},
        {"active-healthcheck-enabled", "1"},
        {"number-healthcheck-retries", "1000"},
        {"rewrite-location", "false"},
        {"rewrite-cookies", "TRUE"},
        {"preferred-failover-instance", "off"},
        {"zdu-minute-in-seconds", "2"},
        {"zdu-session-timeout-in-minutes", "7"},
        {"session-sweep-interval-in-seconds", "3600"},
    }));
    CHECK(s.response_timeout_seconds == 15);
    CHECK(s.reload_poll_interval_seconds == 0);
    CHECK(s.https_routing);
    CHECK(s.require_monitor_data);
    CHECK(s.active_healthcheck_enabled);
    CHECK(s.number_healthcheck_retries == 1000);
    CHECK_FALSE(s.rewrite_location);
    CHECK(s.rewrite_cookies);
    CHECK_FALSE(s.preferred_failover_instance);
    CHECK(s.minute_seconds == 2);
    CHECK(s.session_timeout_minutes == 7);
    CHECK(s.session_sweep_interval_seconds == 3600);
}

TEST_CASE("unknown and unusable properties leave the defaults", "[config][settings]") {
    const Settings s = settings_of(with_properties({
        {"no-such-thing", "5"},
        {"https-routing", "maybe"},
        {"number-healthcheck-retries", "0"},
        {"zdu-session-timeout-in-minutes", "0"},
        {"session-sweep-interval-in-seconds", "3601"},
    }));
    CHECK_FALSE(s.https_routing);
    CHECK(s.number_healthcheck_retries == 3);
    CHECK(s.session_timeout_minutes == 30);
    CHECK(s.session_sweep_interval_seconds == 5);
}

TEST_CASE("known property names", "[config][settings]") {
    for (const char* name :
         {"response-timeout-in-seconds", "reload-poll-interval-in-seconds", "https-routing",
          "require-monitor-data", "active-healthcheck-enabled", "number-healthcheck-retries",
          "rewrite-location", "rewrite-cookies", "preferred-failover-instance",
          "zdu-minute-in-seconds", "zdu-session-timeout-in-minutes",
          "session-sweep-interval-in-seconds"}) {
        INFO(name);
        CHECK(is_known_property(name));
    }
    CHECK_FALSE(is_known_property("https_routing"));
    CHECK_FALSE(is_known_property(""));
}

TEST_CASE("settings of a loaded file", "[config][settings]") {
    const auto result = load_string(R"(<loadbalancer>
  <property name="https-routing" value="true"/>
  <property name="zdu-minute-in-seconds" value="1"/>
</loadbalancer>)",
                                    "s.xml");
    REQUIRE(result.ok());
    const Settings s = settings_of(*result.config);
    CHECK(s.https_routing);
    CHECK(s.minute_seconds == 1);
    CHECK(s.response_timeout_seconds == 60);
}

TEST_CASE("failure handling extensions: defaults, values and ranges", "[config][settings]") {
    const Settings defaults = settings_of(LoadBalancer{});
    CHECK(defaults.passive_failures_in_a_row == 3);
    CHECK(defaults.passive_min_healthy_percent == 0);
    CHECK(defaults.connect_timeout_seconds == 5);
    CHECK(defaults.connection_ttl_seconds == 15);
    const Settings s = settings_of(with_properties({
        {"zdu-passive-failures-in-a-row", "1"},
        {"zdu-passive-min-healthy-percent", "50"},
        {"zdu-connect-timeout-in-seconds", "2"},
        {"zdu-connection-ttl-in-seconds", "0"},
    }));
    CHECK(s.passive_failures_in_a_row == 1);
    CHECK(s.passive_min_healthy_percent == 50);
    CHECK(s.connect_timeout_seconds == 2);
    CHECK(s.connection_ttl_seconds == 0);
    const Settings out_of_range = settings_of(with_properties({
        {"zdu-passive-failures-in-a-row", "0"},
        {"zdu-passive-min-healthy-percent", "101"},
        {"zdu-connect-timeout-in-seconds", "0"},
        {"zdu-connection-ttl-in-seconds", "-1"},
    }));
    CHECK(out_of_range.passive_failures_in_a_row == 3);
    CHECK(out_of_range.passive_min_healthy_percent == 0);
    CHECK(out_of_range.connect_timeout_seconds == 5);
    CHECK(out_of_range.connection_ttl_seconds == 15);
}
