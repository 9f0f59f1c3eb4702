#include "mod_zdu/health/monitor.hpp"

#include <unistd.h>

#include <exception>

#include "mod_zdu/health/transitions.hpp"
#include "mod_zdu/log_ids.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {

void HealthMonitor::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    pool_ = std::make_unique<health::PingPool>();
    // Started with nothing to check (a reload may add a health-checker): nothing to say yet.
    if (plan_.clusters.empty()) return;
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, server_,
                 ZDU_LOG_CHECKER_STARTED
                 "health checker running in process %ld: "
                 "%" APR_SIZE_T_FMT " clusters, %" APR_SIZE_T_FMT " instances",
                 static_cast<long>(::getpid()), plan_.clusters.size(), plan_.instances.size());
}

void HealthMonitor::tick(std::int64_t steady_ms) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!pool_) return;
    apply_finished();
    for (ClusterCheck& c : plan_.clusters) {
        if (c.schedule.due(steady_ms)) round(c);
    }
}

void HealthMonitor::stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    pool_.reset();
}

void HealthMonitor::replan(HealthPlan plan, std::uint64_t generation) {
    std::lock_guard<std::mutex> lock(mutex_);
    bool running = pool_ != nullptr;
    bool quiet = plan_.clusters.empty() && plan.clusters.empty();
    pool_.reset();
    plan_ = std::move(plan);
    generation_ = generation;
    if (running) pool_ = std::make_unique<health::PingPool>();
    if (quiet) return;
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, server_,
                 ZDU_LOG_CHECKER_STARTED "health checker follows generation %" APR_UINT64_T_FMT
                                         ": %" APR_SIZE_T_FMT " clusters, %" APR_SIZE_T_FMT
                                         " instances",
                 generation, plan_.clusters.size(), plan_.instances.size());
}

void HealthMonitor::apply_finished() {
    for (const auto& done : pool_->collect()) {
        const InstanceCheck& inst = plan_.instances[done.id];
        apply_ping(plan_.clusters[inst.cluster], inst, done.result, server_);
    }
}

namespace {

// An instance a reload added is pinged until a check passes, even where only unhealthy ones
// are (active-healthcheck-enabled off): the pass is what lets it take new sessions.
bool awaiting_check(const InstanceCheck& inst) {
    return inst.record->check_gate.load(std::memory_order_relaxed) ==
           static_cast<std::uint32_t>(state::CheckGate::Waiting);
}

}  // namespace

void HealthMonitor::round(ClusterCheck& c) {
    for (std::size_t id = c.first; id < c.first + c.count; ++id) {
        const InstanceCheck& inst = plan_.instances[id];
        if (!inst.pingable) {
            release_unpingable(c, inst, server_);
        } else if (health::should_ping(c.policy, instance_healthy(inst) && !awaiting_check(inst),
                                       pool_->running(id))) {
            ping(c, id);
        }
    }
}

void HealthMonitor::ping(const ClusterCheck& c, std::size_t id) {
    const InstanceCheck& inst = plan_.instances[id];
    try {
        pool_->start(id, inst.target, c.timeout);
    } catch (const std::exception& e) {
        // Out of threads: this instance waits for the next round.
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, server_,
                     ZDU_LOG_CHECKER_FAILED
                     "cluster %s instance %s: cannot start a health check: %s",
                     c.name.c_str(), inst.name.c_str(), e.what());
    }
}

}  // namespace zdu::glue
