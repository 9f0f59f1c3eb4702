#include "manager/ping_target.hpp"

#include <algorithm>

#include "health/instance_ping.hpp"
#include "routing/header_text.hpp"

namespace zdu::manager {

std::string InstancePing::url() const {
    if (target.host.empty()) return {};
    const bool ipv6 = target.host.find(':') != std::string::npos;
    std::string host = ipv6 ? "[" + target.host + "]" : target.host;
    return "http://" + host + ":" + std::to_string(target.port) + target.path;
}

std::chrono::milliseconds ping_timeout(const config::Cluster& cluster) {
    std::chrono::milliseconds configured = kDefaultPingTimeout;
    if (cluster.health_checker && cluster.health_checker->timeout_seconds > 0) {
        configured = std::chrono::seconds(cluster.health_checker->timeout_seconds);
    }
    return std::min<std::chrono::milliseconds>(configured, kMaxPingTimeout);
}

InstancePing instance_ping(const config::Cluster& cluster, const config::Instance& instance) {
    InstancePing ping;
    ping.timeout = ping_timeout(cluster);
    if (!health::instance_ping_target(cluster, instance, ping.target)) {
        ping.error = "instance " + instance.name + " has no http:// listener to ping";
    }
    return ping;
}

bool is_instance_listener(const config::LoadBalancer& lb, const health::PingTarget& target) {
    for (const auto& c : lb.clusters) {
        for (const auto& inst : c.instances) {
            for (const auto& l : inst.listeners) {
                if (l.scheme == config::Scheme::Http && l.port == target.port &&
                    routing::iequals(l.host, target.host)) {
                    return true;
                }
            }
        }
    }
    return false;
}

PingSlot::PingSlot(std::atomic<int>& running, int limit) : running_(running), acquired_(false) {
    int n = running_.load(std::memory_order_relaxed);
    do {
        if (n >= limit) return;
    } while (!running_.compare_exchange_weak(n, n + 1, std::memory_order_acq_rel));
    acquired_ = true;
}

PingSlot::~PingSlot() {
    if (acquired_) running_.fetch_sub(1, std::memory_order_acq_rel);
}

}  // namespace zdu::manager
