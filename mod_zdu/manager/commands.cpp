#include "mod_zdu/manager/commands.hpp"

#include <ap_mpm.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "manager/admin.hpp"
#include "manager/answers.hpp"
#include "manager/ping_target.hpp"
#include "manager/selection.hpp"
#include "mod_zdu/lifecycle/drain_facts.hpp"
#include "mod_zdu/manager/status_document.hpp"
#include "mod_zdu/reload/publisher.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/state/shared_state.hpp"
#include "mod_zdu/time_ms.hpp"
#include "routing/version.hpp"

namespace zdu::glue {
namespace {

using Clock = std::chrono::steady_clock;
using manager::Command;
using manager::CommandKind;

std::chrono::microseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
}

std::vector<manager::ClusterView> views_of(const Runtime* rt) {
    std::vector<manager::ClusterView> views;
    if (!rt) return views;
    views.reserve(rt->clusters.size());
    for (const auto& c : rt->clusters) views.push_back({c.config, &c.routes});
    return views;
}

ManagerAnswer failure(const Command& c, int status, const std::string& error,
                      Clock::time_point start) {
    return {status, manager::error_answer(c.name, status, error, since(start)), error};
}

std::string ping_outcome(const manager::PingReport& report) {
    const health::PingResult& r = report.result;
    return std::string(r.healthy() ? "ok" : "failed") + ", status " + std::to_string(r.status) +
           (r.error.empty() ? "" : ", " + r.error);
}

ManagerAnswer answer_ping(const manager::PingReport& report) {
    return {HTTP_OK, manager::ping_answer(report), ping_outcome(report)};
}

// Manager pings running in this process; a plain atomic, so nothing runs at process exit.
std::atomic<int> pings_running{0};

ManagerAnswer too_many_pings(const Command& c, Clock::time_point start) {
    return failure(c, HTTP_SERVICE_UNAVAILABLE,
                   "too many pings in progress (at most " +
                       std::to_string(manager::kMaxConcurrentPings) + " per process)",
                   start);
}

ManagerAnswer ping_instance(const Command& c, const Runtime* rt, Clock::time_point start) {
    manager::Selection sel = manager::select_instance(views_of(rt), c.cluster, c.instance);
    if (!sel.ok()) return failure(c, sel.status, sel.error, start);
    auto [ci, ii] = sel.instances.front();
    const ClusterRuntime& cluster = rt->clusters[ci];
    const config::Instance& inst = *cluster.instances[ii].config;
    manager::InstancePing ping = manager::instance_ping(*cluster.config, inst);
    manager::PingReport report{
        "instance", cluster.config->name, inst.name, cluster.routes.route(ii), ping.url(), {}};
    if (!ping.ok()) {
        report.result.error = ping.error;
        return answer_ping(report);
    }
    manager::PingSlot slot(pings_running, manager::kMaxConcurrentPings);
    if (!slot.acquired()) return too_many_pings(c, start);
    report.result = health::http_ping(ping.target, ping.timeout);
    return answer_ping(report);
}

// Without ZduManagerPingAnyUrl, a url= ping reaches only what the health checker could: an
// instance listener of the config. Otherwise the manager would probe any host:port for whoever
// holds the secret.
ManagerAnswer ping_url(const Command& c, const Runtime* rt, Clock::time_point start) {
    bool listener = rt && manager::is_instance_listener(*rt->config, c.url_target);
    if (!listener && !module_state().manager_ping_any_url) {
        return failure(c, HTTP_FORBIDDEN,
                       "url " + c.url +
                           " is not an instance listener of the config "
                           "(ZduManagerPingAnyUrl On allows any)",
                       start);
    }
    manager::PingSlot slot(pings_running, manager::kMaxConcurrentPings);
    if (!slot.acquired()) return too_many_pings(c, start);
    manager::PingReport report{"url", {}, {}, {}, c.url, {}};
    report.result = health::http_ping(c.url_target, manager::kMaxPingTimeout);
    return answer_ping(report);
}

manager::AdminChange change_one(const ClusterRuntime& cluster, int i, state::AdminState to) {
    const InstanceRuntime& inst = cluster.instances[i];
    manager::AdminChange change;
    change.cluster = cluster.config->name;
    change.instance = inst.config->name;
    change.route = cluster.routes.route(i);
    change.domain = inst.config->domain;
    change.before = manager::set_admin_state(*inst.record, to, now_ms());
    change.after = to;
    return change;
}

ManagerAnswer set_admin_state(const Command& c, const Runtime* rt, Clock::time_point start) {
    auto views = views_of(rt);
    manager::Selection sel = c.kind == CommandKind::SetDomain
                                 ? manager::select_domain(views, c.cluster, c.domain)
                                 : manager::select_instance(views, c.cluster, c.instance);
    if (!sel.ok()) return failure(c, sel.status, sel.error, start);
    std::vector<manager::AdminChange> changes;
    for (auto [ci, ii] : sel.instances) {
        changes.push_back(change_one(rt->clusters[ci], ii, c.admin_state));
    }
    note_admin_change();  // the parent writes the state file when it sees this
    return {HTTP_OK, manager::admin_answer(c, changes, since(start)), manager::describe(changes)};
}

// The web-modules whose context root is `root`, in `cluster` or (empty) in every cluster.
struct WebModuleSelection {
    std::vector<int> modules;  // indexes into Runtime::web_modules
    int status = HTTP_OK;
    std::string error;
};

WebModuleSelection select_web_module(const Runtime* rt, const std::string& cluster,
                                     const std::string& root) {
    WebModuleSelection sel;
    if (rt && !cluster.empty() && manager::find_cluster(views_of(rt), cluster) < 0) {
        sel.status = HTTP_NOT_FOUND;
        sel.error = "no cluster " + cluster;
        return sel;
    }
    for (std::size_t i = 0; rt && i < rt->web_modules.size(); ++i) {
        const WebModuleRuntime& wm = rt->web_modules[i];
        if (wm.config->context_root != root) continue;
        if (!cluster.empty() && rt->clusters[wm.cluster].config->name != cluster) continue;
        sel.modules.push_back(static_cast<int>(i));
    }
    if (sel.modules.empty()) {
        sel.status = HTTP_NOT_FOUND;
        sel.error = "no web-module with context-root " + root +
                    (cluster.empty() ? std::string() : " in cluster " + cluster);
    } else if (sel.modules.size() > 1) {
        sel.status = HTTP_CONFLICT;
        sel.error = "context-root " + root + " is in more than one cluster; give cluster=";
        sel.modules.clear();
    }
    return sel;
}

std::vector<manager::WebModuleChange> change_web_modules(const Runtime& rt,
                                                         const std::vector<int>& modules,
                                                         state::AdminState to) {
    std::vector<manager::WebModuleChange> changes;
    for (int m : modules) {
        const WebModuleRuntime& wm = rt.web_modules[m];
        manager::WebModuleChange change;
        change.cluster = rt.clusters[wm.cluster].config->name;
        change.context_root = wm.config->context_root;
        change.before = manager::set_admin_state(*wm.record, to, now_ms());
        change.after = to;
        changes.push_back(std::move(change));
    }
    return changes;
}

std::string describe(const std::vector<manager::WebModuleChange>& changes) {
    std::string text;
    for (const auto& c : changes) {
        if (!text.empty()) text += ", ";
        text += c.cluster + c.context_root + " " +
                std::string(manager::admin_state_name(c.before)) + "->" +
                std::string(manager::admin_state_name(c.after));
    }
    return text;
}

ManagerAnswer set_web_module(const Command& c, const Runtime* rt, Clock::time_point start) {
    WebModuleSelection sel = select_web_module(rt, c.cluster, c.context_root);
    if (!sel.error.empty()) return failure(c, sel.status, sel.error, start);
    auto changes = change_web_modules(*rt, sel.modules, c.admin_state);
    note_admin_change();  // kept in the state file like an instance's admin state
    return {HTTP_OK, manager::web_module_answer(c, changes, since(start)), describe(changes)};
}

// How often a drain looks at the shared records: often enough that the answer follows the
// sweep's count closely, rarely enough that a waiting drain costs nothing.
constexpr auto kDrainPoll = std::chrono::milliseconds(100);

// Drains waiting in this process. Each holds an httpd thread and pins its snapshot (one of
// SnapshotSlots' eight per child) for up to an hour: a few at once are plenty for an operator
// or a rollout, more would starve the child of threads and reloads of slots.
constexpr int kMaxConcurrentDrains = 4;
std::atomic<int> drains_running{0};

bool httpd_stopping() {
    int mpm_state = AP_MPMQ_RUNNING;
    return ap_mpm_query(AP_MPMQ_MPM_STATE, &mpm_state) == APR_SUCCESS &&
           mpm_state == AP_MPMQ_STOPPING;
}

manager::DrainedInstance count_of(const Runtime& rt, const ClusterRuntime& cluster, int i,
                                  std::int64_t began_ms, std::int64_t now) {
    const InstanceRuntime& inst = cluster.instances[i];
    const state::SharedRecord& r = *inst.record;
    manager::DrainedInstance d;
    d.cluster = cluster.config->name;
    d.instance = inst.config->name;
    d.route = cluster.routes.route(i);
    // Acquire: the counts read next are at least as new as the sweep that stored this time.
    d.counted = r.counted_ms.load(std::memory_order_acquire) >= began_ms;
    // The sweep's own facts, so a drain answers drained exactly when the sweep would.
    const lifecycle::DrainFacts f = drain_facts(rt, cluster, i, true, now);
    d.live = f.live;
    d.untracked = f.untracked;
    d.in_flight = f.in_flight;
    d.sessions_unknown = f.sessions_unknown;
    return d;
}

ManagerAnswer drain(const Command& c, const Runtime* rt, Clock::time_point start) {
    // Taken before anything changes, so a refused drain leaves every admin state as it was.
    manager::PingSlot slot(drains_running, kMaxConcurrentDrains);
    if (!slot.acquired()) {
        return failure(c, HTTP_SERVICE_UNAVAILABLE,
                       "too many drains in progress (at most " +
                           std::to_string(kMaxConcurrentDrains) + " per process)",
                       start);
    }
    manager::DrainReport report;
    manager::Selection sel;
    auto views = views_of(rt);
    if (c.kind == CommandKind::DrainWebModule) {
        WebModuleSelection wms = select_web_module(rt, c.cluster, c.context_root);
        if (!wms.error.empty()) return failure(c, wms.status, wms.error, start);
        change_web_modules(*rt, wms.modules, state::AdminState::Disabled);
        // The session table knows a session's instance, not its web-module: the drain waits
        // for every session on the instances of the web-module's cluster.
        const int ci = rt->web_modules[wms.modules.front()].cluster;
        for (std::size_t i = 0; i < rt->clusters[ci].instances.size(); ++i) {
            sel.instances.push_back({ci, static_cast<int>(i)});
        }
    } else {
        sel = c.kind == CommandKind::DrainDomain
                  ? manager::select_domain(views, c.cluster, c.domain)
                  : manager::select_instance(views, c.cluster, c.instance);
        if (!sel.ok()) return failure(c, sel.status, sel.error, start);
        for (auto [ci, ii] : sel.instances) {
            report.changes.push_back(change_one(rt->clusters[ci], ii, state::AdminState::Disabled));
        }
    }
    note_admin_change();
    // Only counts a sweep took after this moment say anything about the sessions left.
    const std::int64_t began_ms = now_ms();
    const auto deadline = Clock::now() + std::chrono::seconds(c.timeout_seconds);
    for (;;) {
        const std::int64_t now = now_ms();
        report.instances.clear();
        for (auto [ci, ii] : sel.instances) {
            report.instances.push_back(count_of(*rt, rt->clusters[ci], ii, began_ms, now));
        }
        report.stopping = httpd_stopping();
        if (report.drained() || report.stopping || Clock::now() >= deadline) break;
        std::this_thread::sleep_for(kDrainPoll);
    }
    report.waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    std::string outcome = std::string(report.drained() ? "drained" : "not drained") + ", " +
                          std::to_string(report.remaining()) + " session(s) left after " +
                          std::to_string(report.waited.count()) + " ms";
    return {HTTP_OK, manager::drain_answer(c, report, since(start)), outcome};
}

manager::VersionChange version_change(const ClusterRuntime& cluster) {
    const state::SharedRecord& r = *cluster.record;
    const auto& versions = cluster.routes.versions();
    manager::VersionChange v;
    v.cluster = cluster.config->name;
    const int a = routing::resolve_version(versions, r.active_version_key.load());
    if (a >= 0) v.active_version = versions[a];
    const std::uint64_t canary = r.canary_override.load();
    v.canary_override = canary != 0;
    v.canary_percent = routing::canary_percent_of(canary);
    const int k = routing::resolve_canary(versions, canary);
    if (k >= 0 && v.canary_percent > 0) v.canary_version = versions[k];
    return v;
}

std::string versions_text(const ClusterRuntime& cluster) {
    std::string text;
    for (const auto& v : cluster.routes.versions()) text += (text.empty() ? "" : ", ") + v;
    return text;
}

// set-active-version, start-canary, stop-canary: the cluster record's override words, which
// every child reads on its next new session (effective_plan).
ManagerAnswer set_version_override(const Command& c, const Runtime* rt, Clock::time_point start) {
    const int ci = rt ? manager::find_cluster(views_of(rt), c.cluster) : -1;
    if (ci < 0) return failure(c, HTTP_NOT_FOUND, "no cluster " + c.cluster, start);
    const ClusterRuntime& cluster = rt->clusters[ci];
    if (!c.version.empty() && cluster.routes.find_version(c.version) < 0) {
        return failure(c, HTTP_NOT_FOUND,
                       "no instance of cluster " + c.cluster + " runs version " + c.version +
                           " (versions: " + versions_text(cluster) + ")",
                       start);
    }
    state::SharedRecord& r = *cluster.record;
    const std::int64_t now = now_ms();
    if (c.kind == CommandKind::SetActiveVersion) {
        r.active_version_since_ms.store(now, std::memory_order_relaxed);
        r.active_version_key.store(c.version.empty() ? 0 : routing::version_key(c.version),
                                   std::memory_order_release);
    } else {
        const bool on = c.kind == CommandKind::StartCanary;
        r.canary_since_ms.store(now, std::memory_order_relaxed);
        r.canary_override.store(routing::pack_canary(on ? c.version : "", on ? c.percent : 0),
                                std::memory_order_release);
    }
    note_admin_change();  // the parent writes the state file when it sees this
    manager::VersionChange v = version_change(cluster);
    std::string outcome =
        "cluster " + v.cluster + " active-version override " +
        (v.active_version.empty() ? "none" : v.active_version) + ", canary " +
        (!v.canary_override     ? "from the xml"
         : v.canary_percent > 0 ? v.canary_version + " at " + std::to_string(v.canary_percent) + "%"
                                : "stopped");
    return {HTTP_OK, manager::version_answer(c, v, since(start)), outcome};
}

ManagerAnswer reload(const Command& c, Clock::time_point start) {
    ReloadOutcome out = reload_config(ap_server_conf, "manager");
    manager::ReloadReport report{out.ok, out.changed, out.generation, out.errors,
                                 static_cast<long>(getpid())};
    std::string outcome = out.ok ? (out.changed ? "generation " : "unchanged, generation ") +
                                       std::to_string(out.generation)
                                 : "refused: " + (out.errors.empty() ? "" : out.errors.front());
    (void)c;
    return {out.ok ? HTTP_OK : HTTP_BAD_REQUEST, manager::reload_answer(report, since(start)),
            outcome};
}

}  // namespace

ManagerAnswer run_command(const Command& c, const Snapshot* snap) {
    const auto start = Clock::now();
    const Runtime* rt = snap ? snap->runtime : nullptr;
    switch (c.kind) {
        case CommandKind::PingProxy:
            return {HTTP_OK, manager::proxy_ping_answer(static_cast<long>(getpid()), since(start)),
                    "ok"};
        case CommandKind::PingInstance:
            return ping_instance(c, rt, start);
        case CommandKind::PingUrl:
            return ping_url(c, rt, start);
        case CommandKind::Status:
            return status_document(snap, c.cluster, start);
        case CommandKind::Reload:
            return reload(c, start);
        case CommandKind::SetDomain:
        case CommandKind::SetInstance:
            return set_admin_state(c, rt, start);
        case CommandKind::DrainInstance:
        case CommandKind::DrainDomain:
        case CommandKind::DrainWebModule:
            return drain(c, rt, start);
        case CommandKind::SetWebModule:
            return set_web_module(c, rt, start);
        case CommandKind::SetActiveVersion:
        case CommandKind::StartCanary:
        case CommandKind::StopCanary:
            return set_version_override(c, rt, start);
        case CommandKind::PushValidate:
        case CommandKind::PushCommit:
            break;  // they need the request body: handle_push runs them
    }
    return failure(c, HTTP_INTERNAL_SERVER_ERROR, "unhandled command", start);
}

}  // namespace zdu::glue
