#include "mod_zdu/lifecycle/drain_facts.hpp"

#include <algorithm>
#include <climits>
#include <string>

#include "mod_zdu/config/version_plan.hpp"
#include "routing/router.hpp"
#include "state/instance_health.hpp"

namespace zdu::glue {
namespace {

constexpr auto relaxed = std::memory_order_relaxed;

// Takes new sessions as far as the config and the manager say (health aside, so a failing
// check does not flip a drain), once a reload-added instance passed its first check (before
// that the router sends it none, and the old version must not drain meanwhile).
bool open_for_sessions(const InstanceRuntime& inst) {
    return inst.config->enabled && !inst.removed && inst.config->weight > 0 &&
           state::admin_state(*inst.record) == state::AdminState::Active &&
           inst.record->check_gate.load(relaxed) !=
               static_cast<std::uint32_t>(state::CheckGate::Waiting);
}

}  // namespace

int active_version_index(const ClusterRuntime& cluster) {
    auto open = [&](int i) { return open_for_sessions(cluster.instances[i]); };
    return routing::active_version(cluster.routes, effective_plan(cluster), open);
}

const std::string* active_version(const ClusterRuntime& cluster) {
    int v = active_version_index(cluster);
    return v < 0 ? nullptr : &cluster.routes.versions()[v];
}

std::vector<bool> new_session_versions(const ClusterRuntime& cluster) {
    const routing::ClusterRoutes& routes = cluster.routes;
    const int active = active_version_index(cluster);
    std::vector<bool> takes(cluster.instances.size(), true);
    if (active < 0) return takes;
    // The canary takes its share only while an instance of it takes new sessions.
    const routing::VersionPlan plan = effective_plan(cluster);
    bool canary = false;
    if (plan.canary_on()) {
        for (int i : routes.version_members(plan.canary)) {
            canary = canary || open_for_sessions(cluster.instances[i]);
        }
    }
    for (std::size_t i = 0; i < cluster.instances.size(); ++i) {
        const int v = routes.version_of(static_cast<int>(i));
        takes[i] = v == active || (canary && v == plan.canary);
    }
    return takes;
}

std::vector<bool> retiring_instances(const ClusterRuntime& cluster) {
    std::vector<bool> retiring = new_session_versions(cluster);
    for (std::size_t i = 0; i < retiring.size(); ++i) {
        const InstanceRuntime& inst = cluster.instances[i];
        // Waiting for its first passing check, it is starting, not retiring: no drain report.
        const bool starting = inst.record->check_gate.load(relaxed) ==
                              static_cast<std::uint32_t>(state::CheckGate::Waiting);
        retiring[i] = !starting && (!retiring[i] || !open_for_sessions(inst));
    }
    return retiring;
}

namespace {

// What retiring_instances() says of instance `i` alone, without building the cluster's vector:
// the request path asks it of an instance in a drain.
bool still_retiring(const ClusterRuntime& cluster, int i) {
    const InstanceRuntime& inst = cluster.instances[i];
    if (inst.record->check_gate.load(relaxed) ==
        static_cast<std::uint32_t>(state::CheckGate::Waiting)) {
        return false;
    }
    if (!open_for_sessions(inst)) return true;
    const int active = active_version_index(cluster);
    const int v = cluster.routes.version_of(i);
    if (active < 0 || v == active) return false;
    // An open instance of the running canary: the canary takes its share.
    const routing::VersionPlan plan = effective_plan(cluster);
    return !(plan.canary_on() && v == plan.canary);
}

}  // namespace

std::int64_t session_timeout_ms(const Runtime& rt, const ClusterRuntime& cluster) {
    const int property = rt.settings.session_timeout_minutes;
    int minutes = 0;
    for (const config::WebModule& wm : cluster.config->web_modules) {
        minutes = std::max(minutes,
                           wm.session_timeout_minutes > 0 ? wm.session_timeout_minutes : property);
    }
    return rt.minutes_ms(minutes > 0 ? minutes : property);
}

std::int64_t drain_deadline_ms(const Runtime& rt, const ClusterRuntime& cluster, int i) {
    const InstanceRuntime& inst = cluster.instances[i];
    const state::SharedRecord& r = *inst.record;
    std::int64_t since;
    if (!inst.config->enabled) {
        since = r.disabled_since_ms.load(relaxed);
    } else if (state::admin_state(r) != state::AdminState::Active) {
        // The same timeout as a disable in the xml, from when the manager disabled it.
        since = r.admin_since_ms.load(relaxed);
    } else if (r.drain_state.load(relaxed) !=
                   static_cast<std::uint32_t>(lifecycle::DrainState::Active) &&
               still_retiring(cluster, i)) {
        // Weight 0, removed, or an old version. One that takes new sessions again (a rollback)
        // is past no deadline, though its state says so until the next sweep: the sessions it
        // takes meanwhile must come back to it.
        since = r.draining_since_ms.load(relaxed);
    } else {
        return INT64_MAX;
    }
    if (since == 0) return INT64_MAX;
    return since + rt.minutes_ms(inst.config->disable_timeout_minutes);
}

lifecycle::DrainFacts drain_facts(const Runtime& rt, const ClusterRuntime& cluster, int i,
                                  bool retiring, std::int64_t now_ms) {
    const InstanceRuntime& inst = cluster.instances[i];
    const state::SharedRecord& r = *inst.record;
    lifecycle::DrainFacts f;
    f.retiring = retiring;
    f.stopped = state::admin_state(r) == state::AdminState::Stopped;
    f.healthy = state::is_healthy(r);
    f.live = r.live_sessions.load(relaxed);
    f.untracked = r.untracked_sessions.load(relaxed);
    f.in_flight = r.long_lived.load(relaxed);
    if (inst.worker) f.in_flight += __atomic_load_n(&inst.worker->s->busy, __ATOMIC_RELAXED);
    const std::int64_t timeout = session_timeout_ms(rt, cluster);
    const std::int64_t unknown_since = r.sessions_unknown_since_ms.load(relaxed);
    // A session the table never learned (its cookie came back, untracked_seen_ms) may still
    // be live for one timeout after it was last seen, whatever the sweep counted.
    const std::int64_t untracked_seen = r.untracked_seen_ms.load(relaxed);
    f.sessions_unknown = (unknown_since != 0 && now_ms < unknown_since + timeout) ||
                         (untracked_seen != 0 && now_ms < untracked_seen + timeout);
    f.deadline_passed = retiring && now_ms >= drain_deadline_ms(rt, cluster, i);
    return f;
}

}  // namespace zdu::glue
