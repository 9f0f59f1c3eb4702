// Typed view of the <property> elements: the known names, their defaults and ranges.
#pragma once

#include <string_view>
#include <vector>

#include "config/model.hpp"

namespace zdu::config {

struct Settings {
    int response_timeout_seconds = 60;  // backend read timeout; 0 = none
    int reload_poll_interval_seconds = 60;
    bool https_routing = false;
    bool require_monitor_data = false;
    bool active_healthcheck_enabled = false;
    int number_healthcheck_retries = 3;  // 1..1000
    bool rewrite_location = true;
    bool rewrite_cookies = false;
    bool preferred_failover_instance = true;
    // Extension "zdu-minute-in-seconds": how long a "minute" of the *-in-minutes attributes is.
    // 60 in production; tests scale quiescing down with it.
    int minute_seconds = 60;
    // Extensions for passive failure detection and the backend connections (see
    // docs/architecture.md, Failure): response timeouts and proxy-made 5xx in a row that take
    // an instance out; the share of a cluster that passive detection never takes out (at least
    // one instance); the connect timeout; how long an idle backend connection may be reused.
    int passive_failures_in_a_row = 3;    // zdu-passive-failures-in-a-row, 1..1000
    int passive_min_healthy_percent = 0;  // zdu-passive-min-healthy-percent, 0..100
    int connect_timeout_seconds = 5;      // zdu-connect-timeout-in-seconds, >= 1
    int connection_ttl_seconds = 15;      // zdu-connection-ttl-in-seconds, 0 = no limit
    // Session tracking: how long a session may idle before it counts as ended (in "minutes" of
    // zdu-minute-in-seconds; a web-module may override it), and how often the sweep ends idle
    // sessions and decides which instances are drained.
    int session_timeout_minutes = 30;        // zdu-session-timeout-in-minutes, >= 1
    int session_sweep_interval_seconds = 5;  // session-sweep-interval-in-seconds, 1..3600
};

// Reads the properties of a model that passed the checks (unknown names are ignored).
Settings settings_of(const LoadBalancer& lb);

// True for the property names mod_zdu knows (GlassFish's and its own extensions).
bool is_known_property(std::string_view name);

// The properties `settings` turns on that mod_zdu accepts but does not implement yet, for a
// warning at load (none at present).
std::vector<std::string_view> unimplemented_properties(const Settings& settings);

}  // namespace zdu::config
