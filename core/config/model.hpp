// The one config model of loadbalancer.xml, shared by mod_zdu and lbxml-gen.
// Built by the loader, written by the writer; immutable once loaded (held as shared_ptr<const>).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zdu::config {

// Adaptive is a mod_zdu extension: weighs instances by their live load.
enum class Policy { RoundRobin, WeightedRoundRobin, UserDefined, Adaptive };
std::string_view policy_name(Policy p);
std::optional<Policy> parse_policy(std::string_view text);

enum class Scheme { Http, Https, Ajp };
std::string_view scheme_name(Scheme s);

struct Listener {
    Scheme scheme = Scheme::Http;
    std::string host;
    std::uint16_t port = 0;

    std::string url() const;  // "http://host:port"
    bool operator==(const Listener& o) const {
        return scheme == o.scheme && host == o.host && port == o.port;
    }
};

// Line numbers are where the element starts in its file (0 when built in memory); they are not
// part of equality, so a model loaded, written and loaded again compares equal.
struct Instance {
    std::string name;
    bool enabled = true;
    int disable_timeout_minutes = 31;
    std::vector<Listener> listeners;
    int weight = 100;
    // mod_zdu extensions (zdu-loadbalancer_1_4.dtd); empty when absent.
    std::string version;
    std::string route;  // explicit route id; derived from cluster + name when empty
    std::string domain;
    int line = 0;

    bool operator==(const Instance& o) const;
};

struct IdempotentUrlPattern {
    std::string url_pattern;
    int no_of_retries = -1;  // -1: retry until instances run out
    int line = 0;

    bool operator==(const IdempotentUrlPattern& o) const {
        return url_pattern == o.url_pattern && no_of_retries == o.no_of_retries;
    }
};

struct WebModule {
    // What a request of a session whose instance is gone (removed, or its drain timeout passed)
    // gets when no replica holds the session: its old id must not reach another version.
    //   Redirect: session and route cookies expired, 302 to the context root + "/"
    //   ErrorUrl: the same, to error-url
    //   Failover: passed on to the failover pick like any failed instance
    enum class StaleSession { Redirect, ErrorUrl, Failover };

    std::string context_root;
    bool enabled = true;
    int disable_timeout_minutes = 31;
    std::string error_url;
    std::vector<IdempotentUrlPattern> idempotent_url_patterns;
    // mod_zdu extensions (zdu-loadbalancer_1_4.dtd).
    // Space-separated servlet-style patterns relative to the context root: a request matching
    // one ends its session (the app may invalidate without expiring the cookie).
    std::string logout_url_pattern;
    int session_timeout_minutes = 0;  // 0: the zdu-session-timeout-in-minutes property
    StaleSession stale_session = StaleSession::Redirect;
    int line = 0;

    bool operator==(const WebModule& o) const;
};

std::string_view stale_session_name(WebModule::StaleSession s);
std::optional<WebModule::StaleSession> parse_stale_session(std::string_view text);

struct HealthChecker {
    std::string url = "/";
    int interval_seconds = 30;  // 0: checks off
    int timeout_seconds = 10;
    int line = 0;

    bool operator==(const HealthChecker& o) const {
        return url == o.url && interval_seconds == o.interval_seconds &&
               timeout_seconds == o.timeout_seconds;
    }
};

struct Cluster {
    std::string name;
    Policy policy = Policy::RoundRobin;
    std::string policy_module;
    std::vector<Instance> instances;
    std::vector<WebModule> web_modules;
    std::optional<HealthChecker> health_checker;
    // mod_zdu extension: the application's session cookie; empty means JSESSIONID.
    std::string session_cookie;
    // mod_zdu extensions for upgrades. active_version: the version new sessions go to (empty:
    // the highest version with an instance taking new sessions), so a rollback is one attribute
    // change. canary_version takes canary_percent of the new sessions; 0 turns the canary off.
    std::string active_version;
    std::string canary_version;
    int canary_percent = 0;
    int line = 0;

    std::string_view session_cookie_name() const {
        return session_cookie.empty() ? std::string_view("JSESSIONID") : session_cookie;
    }
    bool operator==(const Cluster& o) const;
};

struct Property {
    std::string name;
    std::string value;
    std::string description;  // empty: no <description>
    int line = 0;

    bool operator==(const Property& o) const {
        return name == o.name && value == o.value && description == o.description;
    }
};

struct LoadBalancer {
    std::vector<Cluster> clusters;
    std::vector<Property> properties;

    const Property* find_property(std::string_view name) const;
    bool operator==(const LoadBalancer& o) const {
        return clusters == o.clusters && properties == o.properties;
    }
};

using ConfigPtr = std::shared_ptr<const LoadBalancer>;

}  // namespace zdu::config
