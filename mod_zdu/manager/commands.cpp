#include "mod_zdu/manager/commands.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <vector>

#include "manager/admin.hpp"
#include "manager/answers.hpp"
#include "manager/ping_target.hpp"
#include "manager/selection.hpp"
#include "manager/status.hpp"
#include "mod_zdu/config/spare_balancers.hpp"
#include "mod_zdu/config/worker_provisioning.hpp"
#include "mod_zdu/reload/publisher.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/state/shared_state.hpp"
#include "mod_zdu/time_ms.hpp"

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

manager::InstanceStatus instance_status(const ClusterRuntime& cluster, int i) {
    const InstanceRuntime& inst = cluster.instances[i];
    manager::InstanceStatus s =
        manager::read_status(*inst.config, cluster.routes.route(i), *inst.record);
    s.url = inst.worker_url;
    s.removed = inst.removed;
    if (inst.worker) {
        s.busy = __atomic_load_n(&inst.worker->s->busy, __ATOMIC_RELAXED);
        s.worker_usable = PROXY_WORKER_IS_USABLE(inst.worker);
    }
    return s;
}

manager::ClusterStatus cluster_status(const ClusterRuntime& cluster) {
    manager::ClusterStatus s{
        cluster.config->name, std::string(config::policy_name(cluster.config->policy)), {}};
    for (std::size_t i = 0; i < cluster.instances.size(); ++i) {
        s.instances.push_back(instance_status(cluster, static_cast<int>(i)));
    }
    if (cluster.balancer) {
        GrowthUsage growth = growth_usage(cluster.balancer);
        s.workers_used = growth.used;
        s.workers_total = growth.total;
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

ManagerAnswer status(const Command& c, const Snapshot* snap, Clock::time_point start) {
    const Runtime* rt = snap ? snap->runtime : nullptr;
    std::vector<manager::ClusterStatus> clusters;
    for (std::size_t i = 0; rt && i < rt->clusters.size(); ++i) {
        const ClusterRuntime& cluster = rt->clusters[i];
        if (c.cluster.empty() || cluster.config->name == c.cluster) {
            clusters.push_back(cluster_status(cluster));
        }
    }
    if (!c.cluster.empty() && clusters.empty()) {
        return failure(c, HTTP_NOT_FOUND, "no cluster '" + c.cluster + "'", start);
    }
    return {HTTP_OK, manager::status_answer(config_status(snap), clusters, since(start)), {}};
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
            return status(c, snap, start);
        case CommandKind::Reload:
            return reload(c, start);
        case CommandKind::SetDomain:
        case CommandKind::SetInstance:
            return set_admin_state(c, rt, start);
    }
    return failure(c, HTTP_INTERNAL_SERVER_ERROR, "unhandled command", start);
}

}  // namespace zdu::glue
