// What the manager's cmd=ping may reach and for how long. An instance is pinged as the health
// checker pings it (health/instance_ping.hpp); a url= ping only reaches an instance listener of
// the config unless the operator allows any; and no ping holds a request thread longer than
// kMaxPingTimeout, nor do more than kMaxConcurrentPings run at once in a process.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "config/model.hpp"
#include "health/http_ping.hpp"

namespace zdu::manager {

// The timeout of pings without a health-checker (GlassFish's default timeout-in-seconds) is
// longer than a manager request may take: every manager ping is cut at kMaxPingTimeout.
constexpr std::chrono::seconds kDefaultPingTimeout{10};
constexpr std::chrono::seconds kMaxPingTimeout{5};
// Pings running at once in one process; more are refused (503) rather than queued, so
// manager requests can never take a large share of a child's threads.
constexpr int kMaxConcurrentPings = 4;

struct InstancePing {
    health::PingTarget target;
    std::chrono::milliseconds timeout = kMaxPingTimeout;
    std::string error;  // set when the instance has nothing to ping (no http:// listener)

    bool ok() const { return error.empty(); }
    std::string url() const;  // "http://host:port/path", for the answer
};

// The health-checker's timeout (or the default), at most kMaxPingTimeout.
std::chrono::milliseconds ping_timeout(const config::Cluster& cluster);

InstancePing instance_ping(const config::Cluster& cluster, const config::Instance& instance);

// Whether host:port of `target` is an http:// listener of an instance in `lb` (host compared
// as written in the config, ASCII case-insensitive: names are not resolved).
bool is_instance_listener(const config::LoadBalancer& lb, const health::PingTarget& target);

// A slot of the per-process ping budget: acquired() says whether this ping may run; the slot
// is given back when the PingSlot goes.
class PingSlot {
  public:
    PingSlot(std::atomic<int>& running, int limit);
    ~PingSlot();
    PingSlot(const PingSlot&) = delete;
    PingSlot& operator=(const PingSlot&) = delete;

    bool acquired() const { return acquired_; }

  private:
    std::atomic<int>& running_;
    bool acquired_;
};

}  // namespace zdu::manager
