#include "mod_zdu/manager/status_document.hpp"

#include <unistd.h>

#include <vector>

#include "manager/answers.hpp"
#include "manager/status.hpp"
#include "mod_zdu/config/spare_balancers.hpp"
#include "mod_zdu/config/worker_provisioning.hpp"
#include "mod_zdu/lifecycle/drain_facts.hpp"
#include "mod_zdu/manager/overrides.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/time_ms.hpp"

namespace zdu::glue {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto relaxed = std::memory_order_relaxed;

std::chrono::microseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
}

manager::InstanceStatus instance_status(const Runtime& rt, const ClusterRuntime& cluster, int i,
                                        bool retiring, std::int64_t now) {
    const InstanceRuntime& inst = cluster.instances[i];
    manager::InstanceStatus s =
        manager::read_status(*inst.config, cluster.routes.route(i), *inst.record);
    s.url = inst.worker_url;
    s.removed = inst.removed;
    if (inst.worker) {
        s.busy = __atomic_load_n(&inst.worker->s->busy, __ATOMIC_RELAXED);
        s.worker_usable = PROXY_WORKER_IS_USABLE(inst.worker);
    }
    // The state the sweep keeps, with what status adds on top (stopped, unhealthy) from the
    // same facts the sweep decides on.
    auto drain = static_cast<lifecycle::DrainState>(inst.record->drain_state.load(relaxed));
    const lifecycle::DrainFacts facts = drain_facts(rt, cluster, i, retiring, now);
    // Never in service (added disabled, a version not yet active): the sweep keeps no drain
    // state for it, yet it takes no new sessions; what it holds says draining or drained.
    if (retiring && drain == lifecycle::DrainState::Active &&
        inst.record->in_service.load(relaxed) == 0) {
        drain = lifecycle::next_state(lifecycle::DrainState::Draining, facts);
    }
    s.state = lifecycle::reported(drain, facts);
    return s;
}

manager::ClusterStatus cluster_status(const Runtime& rt, const ClusterRuntime& cluster,
                                      std::uint64_t generation, std::int64_t now) {
    manager::ClusterStatus s;
    s.name = cluster.config->name;
    s.policy = std::string(config::policy_name(cluster.config->policy));
    const std::vector<bool> retiring = retiring_instances(cluster);
    for (std::size_t i = 0; i < cluster.instances.size(); ++i) {
        s.instances.push_back(instance_status(rt, cluster, static_cast<int>(i), retiring[i], now));
    }
    if (cluster.balancer) {
        GrowthUsage growth = growth_usage(cluster.balancer);
        s.workers_used = growth.used;
        s.workers_total = growth.total;
    }
    s.generation = generation;
    if (const std::string* active = active_version(cluster)) {
        s.has_active_version = true;
        s.active_version = *active;
    }
    s.canary_version = cluster.config->canary_version;
    s.canary_percent = cluster.config->canary_percent;
    s.stale_sessions = cluster.record->stale_sessions.load(relaxed);
    s.session_overflow = cluster.record->session_overflow.load(relaxed);
    const int index = static_cast<int>(&cluster - rt.clusters.data());
    for (const WebModuleRuntime& wm : rt.web_modules) {
        if (wm.cluster == index) {
            s.web_modules.push_back(manager::read_web_module_status(*wm.config, *wm.record));
        }
    }
    return s;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

manager::ConfigStatus config_status(const Snapshot* snap) {
    manager::ConfigStatus s;
    s.pid = static_cast<long>(getpid());
    const ModuleState& st = module_state();
    s.file = st.config_file;
    if (snap) {
        s.generation = snap->generation;
        s.loaded_at_ms = snap->loaded_ms;
        s.hash = snap->hash;
    }
    if (st.block) {
        state::ConfigRegion region = st.block->config();
        s.published = region.generation();
        state::ReloadResult last = region.result();
        s.last_ok = last.ok;
        s.last_generation = last.generation;
        s.last_at_ms = last.at_ms;
        s.last_errors = lines_of(last.errors);
    }
    SpareUsage spares = spare_usage();
    s.spare_clusters_used = spares.used;
    s.spare_clusters_total = spares.total;
    return s;
}

manager::SessionTableStatus session_table_status() {
    manager::SessionTableStatus s;
    const ModuleState& st = module_state();
    if (!st.block) return s;
    sessions::TableStats stats = st.block->sessions().stats();
    s.capacity = stats.capacity;
    s.used = stats.used;
    s.bytes = stats.bytes;
    s.overflow = stats.overflow;
    s.evicted = stats.evicted;
    return s;
}

}  // namespace

bool collect_status(const Snapshot* snap, const std::string& cluster, manager::StatusData& out) {
    const Runtime* rt = snap ? snap->runtime : nullptr;
    const std::uint64_t generation = snap ? snap->generation : 0;
    const std::int64_t now = now_ms();
    for (std::size_t i = 0; rt && i < rt->clusters.size(); ++i) {
        const ClusterRuntime& c = rt->clusters[i];
        if (cluster.empty() || c.config->name == cluster) {
            out.clusters.push_back(cluster_status(*rt, c, generation, now));
        }
    }
    if (!cluster.empty() && out.clusters.empty()) return false;
    out.config = config_status(snap);
    out.sessions = session_table_status();
    out.overrides = overrides_of(rt);
    return true;
}

ManagerAnswer status_document(const Snapshot* snap, const std::string& cluster,
                              Clock::time_point started) {
    manager::StatusData data;
    if (!collect_status(snap, cluster, data)) {
        std::string error = "no cluster '" + cluster + "'";
        return {HTTP_NOT_FOUND,
                manager::error_answer("status", HTTP_NOT_FOUND, error, since(started)), error};
    }
    return {HTTP_OK,
            manager::status_answer(data.config, data.clusters, data.sessions, since(started),
                                   data.overrides),
            {}};
}

}  // namespace zdu::glue
