// What pinging an instance means: an HTTP GET of the cluster's health-checker URL on the
// instance's http listener, within the health-checker's timeout, as the health checker would.
#pragma once

#include <chrono>
#include <string>

#include "config/model.hpp"
#include "health/http_ping.hpp"

namespace zdu::manager {

// The timeout of pings without a health-checker (GlassFish's default timeout-in-seconds).
constexpr std::chrono::seconds kDefaultPingTimeout{10};

struct InstancePing {
    health::PingTarget target;
    std::chrono::milliseconds timeout = kDefaultPingTimeout;
    std::string error;  // set when the instance has nothing to ping (no http:// listener)

    bool ok() const { return error.empty(); }
    std::string url() const;  // "http://host:port/path", for the answer
};

InstancePing instance_ping(const config::Cluster& cluster, const config::Instance& instance);

}  // namespace zdu::manager
