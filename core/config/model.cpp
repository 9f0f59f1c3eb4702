#include "config/model.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace zdu::config {
namespace {

constexpr std::array<std::pair<Policy, std::string_view>, 4> kPolicies{{
    {Policy::RoundRobin, "round-robin"},
    {Policy::WeightedRoundRobin, "weighted-round-robin"},
    {Policy::UserDefined, "user-defined"},
    {Policy::Adaptive, "adaptive"},
}};

}  // namespace

std::string_view policy_name(Policy p) {
    for (const auto& [policy, name] : kPolicies) {
        if (policy == p) return name;
    }
    return "round-robin";
}

std::optional<Policy> parse_policy(std::string_view text) {
    for (const auto& [policy, name] : kPolicies) {
        if (name == text) return policy;
    }
    return std::nullopt;
}

std::string_view stale_session_name(WebModule::StaleSession s) {
    switch (s) {
        case WebModule::StaleSession::Redirect:
            return "redirect";
        case WebModule::StaleSession::ErrorUrl:
            return "error-url";
        case WebModule::StaleSession::Failover:
            return "failover";
    }
    return "redirect";
}

std::optional<WebModule::StaleSession> parse_stale_session(std::string_view text) {
    for (auto s : {WebModule::StaleSession::Redirect, WebModule::StaleSession::ErrorUrl,
                   WebModule::StaleSession::Failover}) {
        if (stale_session_name(s) == text) return s;
    }
    return std::nullopt;
}

std::string_view scheme_name(Scheme s) {
    switch (s) {
        case Scheme::Http:
            return "http";
        case Scheme::Https:
            return "https";
        case Scheme::Ajp:
            return "ajp";
    }
    return "http";
}

std::string Listener::url() const {
    // An IPv6 literal needs its brackets back, or its colons would read as the port separator.
    const bool ipv6 = host.find(':') != std::string::npos;
    std::string out(scheme_name(scheme));
    out += "://";
    out += ipv6 ? "[" + host + "]" : host;
    return out + ":" + std::to_string(port);
}

bool Instance::operator==(const Instance& o) const {
    return name == o.name && enabled == o.enabled &&
           disable_timeout_minutes == o.disable_timeout_minutes && listeners == o.listeners &&
           weight == o.weight && version == o.version && route == o.route && domain == o.domain;
}

bool WebModule::operator==(const WebModule& o) const {
    return context_root == o.context_root && enabled == o.enabled &&
           disable_timeout_minutes == o.disable_timeout_minutes && error_url == o.error_url &&
           idempotent_url_patterns == o.idempotent_url_patterns &&
           logout_url_pattern == o.logout_url_pattern &&
           session_timeout_minutes == o.session_timeout_minutes && stale_session == o.stale_session;
}

bool Cluster::operator==(const Cluster& o) const {
    return name == o.name && policy == o.policy && policy_module == o.policy_module &&
           instances == o.instances && web_modules == o.web_modules &&
           health_checker == o.health_checker && session_cookie == o.session_cookie &&
           active_version == o.active_version && canary_version == o.canary_version &&
           canary_percent == o.canary_percent;
}

const Property* LoadBalancer::find_property(std::string_view name) const {
    auto it = std::find_if(properties.begin(), properties.end(),
                           [name](const Property& p) { return p.name == name; });
    return it == properties.end() ? nullptr : &*it;
}

}  // namespace zdu::config
