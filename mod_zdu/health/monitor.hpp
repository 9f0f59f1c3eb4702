// The checker's work, one step per watchdog tick: apply the pings that finished, then start a
// round for each cluster whose interval has come (a concurrent ping per instance due, none for
// an instance whose previous ping still runs). Ticks are short and never wait for a backend.
//
// Built from the config in the parent; started in the one process that runs the checker, where
// it owns the ping threads. start/tick/stop may be called from different threads (mod_watchdog
// stops its callbacks from the thread that tears the pool down), so they are serialised.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "health/ping_pool.hpp"
#include "mod_zdu/health/plan.hpp"
#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

class HealthMonitor {
  public:
    HealthMonitor(HealthPlan plan, server_rec* s, std::uint64_t generation)
        : plan_(std::move(plan)), server_(s), generation_(generation) {}

    void start();
    // `steady_ms`: a monotonic clock, for the schedule.
    void tick(std::int64_t steady_ms);
    // Cancels the running pings and waits for their threads; ticks do nothing afterwards.
    void stop();
    // A reload moved the config: the pings of the old plan are cancelled (their ids index it)
    // and the rounds start over on `plan`.
    void replan(HealthPlan plan, std::uint64_t generation);
    std::uint64_t generation() const { return generation_; }

  private:
    void apply_finished();
    void round(ClusterCheck& cluster);
    void ping(const ClusterCheck& cluster, std::size_t id);

    std::mutex mutex_;
    HealthPlan plan_;
    server_rec* server_;
    std::unique_ptr<health::PingPool> pool_;  // set while running
    std::uint64_t generation_;                // of the config the plan comes from
};

}  // namespace zdu::glue
