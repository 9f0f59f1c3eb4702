#include "manager/ping_target.hpp"

namespace zdu::manager {
namespace {

// The health-checker url is a path; a full http:// URL contributes only its path.
std::string ping_path(const config::Cluster& cluster) {
    if (!cluster.health_checker || cluster.health_checker->url.empty()) return "/";
    const std::string& url = cluster.health_checker->url;
    health::PingTarget parsed;
    if (health::parse_ping_url(url, parsed)) return parsed.path;
    return url.front() == '/' ? url : "/" + url;
}

std::chrono::milliseconds ping_timeout(const config::Cluster& cluster) {
    if (!cluster.health_checker || cluster.health_checker->timeout_seconds <= 0) {
        return kDefaultPingTimeout;
    }
    return std::chrono::seconds(cluster.health_checker->timeout_seconds);
}

}  // namespace

std::string InstancePing::url() const {
    if (target.host.empty()) return {};
    const bool ipv6 = target.host.find(':') != std::string::npos;
    std::string host = ipv6 ? "[" + target.host + "]" : target.host;
    return "http://" + host + ":" + std::to_string(target.port) + target.path;
}

InstancePing instance_ping(const config::Cluster& cluster, const config::Instance& instance) {
    InstancePing ping;
    ping.timeout = ping_timeout(cluster);
    for (const auto& l : instance.listeners) {
        if (l.scheme != config::Scheme::Http) continue;
        ping.target.host = l.host;
        ping.target.port = l.port;
        ping.target.path = ping_path(cluster);
        return ping;
    }
    ping.error = "instance " + instance.name + " has no http:// listener to ping";
    return ping;
}

}  // namespace zdu::manager
