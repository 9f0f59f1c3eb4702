#include "mod_zdu/health/plan.hpp"

#include "health/instance_ping.hpp"

namespace zdu::glue {
namespace {

ClusterCheck cluster_check(const ClusterRuntime& c, const config::Settings& settings) {
    const config::HealthChecker& hc = *c.config->health_checker;
    ClusterCheck check;
    check.name = c.config->name;
    check.timeout = std::chrono::seconds(hc.timeout_seconds);
    check.policy.check_healthy = settings.active_healthcheck_enabled;
    check.policy.retries = static_cast<std::uint32_t>(settings.number_healthcheck_retries);
    check.schedule = health::CheckSchedule(std::int64_t{hc.interval_seconds} * 1000);
    return check;
}

void add_instances(const ClusterRuntime& c, std::size_t cluster, HealthPlan& plan) {
    for (const InstanceRuntime& inst : c.instances) {
        if (!inst.worker) continue;
        InstanceCheck check;
        check.cluster = cluster;
        check.name = inst.config->name;
        check.listener = inst.worker_url;
        check.pingable = health::instance_ping_target(*c.config, *inst.config, check.target);
        check.record = inst.record;
        check.worker = inst.worker;
        plan.instances.push_back(std::move(check));
    }
}

}  // namespace

HealthPlan plan_checks(const Runtime& rt) {
    HealthPlan plan;
    for (const ClusterRuntime& c : rt.clusters) {
        if (!c.active_checks()) continue;
        ClusterCheck check = cluster_check(c, rt.settings);
        check.first = plan.instances.size();
        add_instances(c, plan.clusters.size(), plan);
        check.count = plan.instances.size() - check.first;
        plan.clusters.push_back(std::move(check));
    }
    return plan;
}

}  // namespace zdu::glue
