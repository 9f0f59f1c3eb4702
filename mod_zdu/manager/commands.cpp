#include "mod_zdu/manager/commands.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <vector>

#include "manager/admin.hpp"
#include "manager/answers.hpp"
#include "manager/ping_target.hpp"
#include "manager/selection.hpp"
#include "mod_zdu/manager/status_document.hpp"
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
        case CommandKind::PushValidate:
        case CommandKind::PushCommit:
            break;  // they need the request body: handle_push runs them
    }
    return failure(c, HTTP_INTERNAL_SERVER_ERROR, "unhandled command", start);
}

}  // namespace zdu::glue
