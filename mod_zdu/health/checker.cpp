// One health checker for the whole server, on mod_watchdog. httpd's parent-process watchdogs
// exist only for MPMs that do not fork (mod_watchdog refuses them under event, worker and
// prefork), so the checker is a singleton child watchdog, as mod_proxy_hcheck's: every child
// has the thread, a cross-process mutex lets exactly one of them run it, and another takes
// over when that child exits. What it changes lives in shared memory (records, mod_proxy's
// worker status), so every child sees it.
//
// Lifetime: the monitor is made per config generation and owned by the config pool, and
// keeps copies of what it needs rather than pointing into the runtime. Only the parent ever
// destroys the config pool (graceful restart, stop), and no checker thread runs there, so our
// cleanup deletes a monitor no thread uses. A child never destroys it: the child's watchdog
// thread leaves its loop when it sees the MPM stopping (exit, graceful restart of its
// generation) and calls stop(), which cancels the running pings and joins their threads; the
// process exit ends the rest. The new generation's children contend for a new mutex.
#include "mod_zdu/health/checker.hpp"

#include <chrono>
#include <exception>
#include <memory>

#include "mod_zdu/health/monitor.hpp"
#include "mod_zdu/health/plan.hpp"
#include "mod_zdu/httpd.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/reload/child_switch.hpp"
#include "mod_zdu/reload/snapshot.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/time_ms.hpp"

extern "C" {
#include <mod_watchdog.h>
}

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

constexpr const char* kWatchdogName = "_zdu_health_";

// The checker's process follows reloads like any child, and its plan follows the config it
// serves (instances added or removed, health-checker settings changed).
void follow_generation(HealthMonitor& monitor) {
    follow_published(ap_server_conf);
    if (serving_generation() == monitor.generation()) return;
    SnapshotSlot* slot = pin_snapshot();
    if (!slot) return;
    HealthPlan plan = plan_checks(*slot->value.runtime);
    std::uint64_t generation = slot->value.generation;
    release_snapshot(slot);
    monitor.replan(std::move(plan), generation);
}

apr_status_t on_watchdog(int state, void* data, apr_pool_t*) {
    auto* monitor = static_cast<HealthMonitor*>(data);
    try {
        switch (state) {
            case AP_WATCHDOG_STATE_STARTING:
                monitor->start();
                break;
            case AP_WATCHDOG_STATE_RUNNING:
                follow_generation(*monitor);
                monitor->tick(steady_ms());
                break;
            case AP_WATCHDOG_STATE_STOPPING:
                monitor->stop();
                break;
        }
    } catch (const std::exception& e) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, ap_server_conf,
                     ZDU_LOG_CHECKER_FAILED "health checker: %s", e.what());
        // A checker that cannot start stays off (mod_watchdog stops calling it); a failed
        // tick is retried at the next.
        return state == AP_WATCHDOG_STATE_STARTING ? APR_EGENERAL : APR_SUCCESS;
    }
    return APR_SUCCESS;
}

apr_status_t destroy_monitor(void* data) {
    std::unique_ptr<HealthMonitor> owned(static_cast<HealthMonitor*>(data));
    return APR_SUCCESS;
}

HealthMonitor* owned_by(apr_pool_t* pool, std::unique_ptr<HealthMonitor> monitor) {
    HealthMonitor* raw = monitor.release();
    apr_pool_cleanup_register(pool, raw, destroy_monitor, apr_pool_cleanup_null);
    return raw;
}

void warn_unpingable(const HealthPlan& plan, server_rec* s) {
    for (const InstanceCheck& inst : plan.instances) {
        if (inst.pingable) continue;
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     ZDU_LOG_CHECKER_FAILED
                     "cluster %s instance %s: no http listener to health-check; once "
                     "unhealthy it is retried after mod_proxy's retry interval",
                     plan.clusters[inst.cluster].name.c_str(), inst.name.c_str());
    }
}

int refuse(server_rec* s, apr_status_t rv, const char* why) {
    ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                 ZDU_LOG_CHECKER_FAILED "health-checker configured but %s", why);
    return HTTP_INTERNAL_SERVER_ERROR;
}

int start_watchdog(apr_pool_t* pconf, server_rec* s, std::unique_ptr<HealthMonitor> monitor) {
    auto* get_instance = APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_get_instance);
    auto* register_callback = APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_register_callback);
    // Without the checker, instances of checked clusters would never come back: refuse.
    if (!get_instance || !register_callback) return refuse(s, 0, "mod_watchdog is not loaded");
    ap_watchdog_t* watchdog = nullptr;
    apr_status_t rv = get_instance(&watchdog, kWatchdogName, 0, 1, pconf);
    if (rv != APR_SUCCESS) return refuse(s, rv, "no watchdog could be made");
    rv = register_callback(watchdog, AP_WD_TM_SLICE, owned_by(pconf, std::move(monitor)),
                           on_watchdog);
    if (rv != APR_SUCCESS) return refuse(s, rv, "its watchdog callback was refused");
    return OK;
}

int post_config(apr_pool_t* pconf, apr_pool_t*, apr_pool_t*, server_rec* s) {
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) return OK;
    const Runtime* rt = current_runtime();
    if (!rt) return OK;
    HealthPlan plan = plan_checks(*rt);
    // Started even with nothing to check, since a reload may add a health-checker; without
    // mod_watchdog that is refused only when there is something to check now.
    if (plan.clusters.empty() && !APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_get_instance)) return OK;
    warn_unpingable(plan, s);
    return start_watchdog(
        pconf, s, std::make_unique<HealthMonitor>(std::move(plan), s, serving_generation()));
}

}  // namespace

void register_health_checker() {
    // After mod_zdu's own post_config (the runtime), before mod_watchdog's (which sets up the
    // watchdogs that have callbacks by then).
    static const char* const before_watchdog[] = {"mod_watchdog.c", nullptr};
    ap_hook_post_config(post_config, nullptr, before_watchdog, APR_HOOK_LAST);
}

}  // namespace zdu::glue
