#include "mod_zdu/manager/overrides.hpp"

#include "manager/admin.hpp"
#include "mod_zdu/state/shared_state.hpp"
#include "mod_zdu/time_ms.hpp"
#include "routing/version.hpp"

namespace zdu::glue {
namespace {

constexpr auto relaxed = std::memory_order_relaxed;

void instance_overrides(const ClusterRuntime& cluster, std::vector<manager::Override>& all) {
    for (const auto& inst : cluster.instances) {
        auto admin = static_cast<state::AdminState>(inst.record->admin_state.load(relaxed));
        if (admin == state::AdminState::Active) continue;
        manager::Override o;
        o.cluster = cluster.config->name;
        o.instance = inst.config->name;
        o.admin_state = admin;
        o.since_ms = inst.record->admin_since_ms.load(relaxed);
        all.push_back(std::move(o));
    }
}

// set-active-version and start/stop-canary, as the cluster record holds them. A key that no
// version of this config matches is listed with an empty version: it routes nothing here.
void version_overrides(const ClusterRuntime& cluster, std::vector<manager::Override>& all) {
    const state::SharedRecord& r = *cluster.record;
    const auto& versions = cluster.routes.versions();
    if (const std::uint64_t key = r.active_version_key.load(relaxed); key != 0) {
        manager::Override o;
        o.kind = "active-version";
        o.cluster = cluster.config->name;
        const int v = routing::resolve_version(versions, key);
        if (v >= 0) o.version = versions[v];
        o.since_ms = r.active_version_since_ms.load(relaxed);
        all.push_back(std::move(o));
    }
    if (const std::uint64_t packed = r.canary_override.load(relaxed); packed != 0) {
        manager::Override o;
        o.kind = "canary";
        o.cluster = cluster.config->name;
        o.percent = routing::canary_percent_of(packed);
        const int v = routing::resolve_canary(versions, packed);
        if (v >= 0 && o.percent > 0) o.version = versions[v];
        o.since_ms = r.canary_since_ms.load(relaxed);
        all.push_back(std::move(o));
    }
}

}  // namespace

std::vector<manager::Override> overrides_of(const Runtime* rt) {
    std::vector<manager::Override> all;
    if (!rt) return all;
    for (const auto& cluster : rt->clusters) instance_overrides(cluster, all);
    for (const auto& wm : rt->web_modules) {
        auto admin = static_cast<state::AdminState>(wm.record->admin_state.load(relaxed));
        if (admin == state::AdminState::Active) continue;
        manager::Override o;
        o.kind = "web-module";
        o.cluster = rt->clusters[wm.cluster].config->name;
        o.context_root = wm.config->context_root;
        o.admin_state = admin;
        o.since_ms = wm.record->admin_since_ms.load(relaxed);
        all.push_back(std::move(o));
    }
    for (const auto& cluster : rt->clusters) version_overrides(cluster, all);
    return all;
}

std::vector<manager::Override> reset_overrides(const Runtime* rt) {
    std::vector<manager::Override> cleared = overrides_of(rt);
    if (cleared.empty()) return cleared;
    const std::int64_t now = now_ms();
    for (const auto& cluster : rt->clusters) {
        for (const auto& inst : cluster.instances) {
            manager::set_admin_state(*inst.record, state::AdminState::Active, now);
        }
        cluster.record->active_version_key.store(0, std::memory_order_release);
        cluster.record->canary_override.store(0, std::memory_order_release);
    }
    for (const auto& wm : rt->web_modules) {
        manager::set_admin_state(*wm.record, state::AdminState::Active, now);
    }
    note_admin_change();
    return cleared;
}

}  // namespace zdu::glue
