// What the health checker looks after, copied out of the runtime when the config is loaded:
// the checker runs on its own thread and may outlive the runtime by a few moments while a
// process exits, so it keeps its own names and targets. The records (shared memory) and
// mod_proxy's workers (config pool) it points at live until the process ends.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "health/check_round.hpp"
#include "health/check_schedule.hpp"
#include "health/http_ping.hpp"
#include "mod_zdu/config/runtime.hpp"
#include "mod_zdu/httpd.hpp"
#include "state/shared_records.hpp"

namespace zdu::glue {

struct InstanceCheck {
    std::size_t cluster = 0;  // index into HealthPlan::clusters
    std::string name;
    std::string listener;  // the one mod_proxy forwards to, for the logs
    health::PingTarget target;
    bool pingable = false;  // false: no http:// listener to ping
    state::SharedRecord* record = nullptr;
    proxy_worker* worker = nullptr;
};

struct ClusterCheck {
    std::string name;
    std::chrono::milliseconds timeout{0};
    health::CheckPolicy policy;
    health::CheckSchedule schedule{0};
    std::size_t first = 0;  // its instances: HealthPlan::instances[first, first + count)
    std::size_t count = 0;
};

struct HealthPlan {
    std::vector<ClusterCheck> clusters;
    std::vector<InstanceCheck> instances;  // an instance's index is its ping id
};

// The clusters with a <health-checker> whose interval is not 0, and their instances that have
// a worker.
HealthPlan plan_checks(const Runtime& rt);

}  // namespace zdu::glue
