#include "mod_zdu/lifecycle/sweeper.hpp"

#include <exception>
#include <string>
#include <vector>

#include "lifecycle/drain.hpp"
#include "metrics/session_end_rate.hpp"
#include "mod_zdu/httpd.hpp"
#include "mod_zdu/lifecycle/drain_facts.hpp"
#include "mod_zdu/lifecycle/drained_runner.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/reload/child_switch.hpp"
#include "mod_zdu/reload/snapshot.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/state/shared_state.hpp"
#include "mod_zdu/time_ms.hpp"
#include "mod_zdu/watchdog_singleton.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

constexpr const char* kWatchdogName = "_zdu_sweep_";
constexpr auto relaxed = std::memory_order_relaxed;
using lifecycle::DrainState;

std::string describe(const ClusterRuntime& cluster, int i) {
    const config::Instance& inst = *cluster.instances[i].config;
    return "cluster " + cluster.config->name + " instance " + inst.name +
           (inst.version.empty() ? "" : " version " + inst.version);
}

void run_drained_command(const ClusterRuntime& cluster, int i, server_rec* s) {
    const auto& command = module_state().drained_command;
    if (!command) return;
    const config::Instance& inst = *cluster.instances[i].config;
    start_drained_command(command->argv(cluster.config->name, inst.name, inst.version),
                          describe(cluster, i), s);
}

void log_drained(const ClusterRuntime& cluster, int i, const lifecycle::DrainFacts& f,
                 server_rec* s) {
    const std::string what = describe(cluster, i);
    const bool forced = f.live || f.untracked || f.in_flight || f.sessions_unknown;
    if (forced) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     ZDU_LOG_INSTANCE_DRAINED
                     "%s drained by its disable timeout with %" APR_UINT64_T_FMT
                     " live and %" APR_UINT64_T_FMT " untracked sessions, %" APR_UINT64_T_FMT
                     " requests in flight",
                     what.c_str(), f.live, f.untracked, f.in_flight);
    } else {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s,
                     ZDU_LOG_INSTANCE_DRAINED "%s drained: no session and no request left",
                     what.c_str());
    }
}

// Called by the one process whose compare-and-swap made the move.
void moved(const ClusterRuntime& cluster, int i, DrainState from, DrainState to,
           const lifecycle::DrainFacts& f, std::int64_t now, server_rec* s) {
    state::SharedRecord& r = *cluster.instances[i].record;
    switch (to) {
        case DrainState::Draining:
            r.draining_since_ms.store(now, relaxed);
            r.drained_since_ms.store(0, relaxed);
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                         ZDU_LOG_INSTANCE_DRAINING "%s draining: %" APR_UINT64_T_FMT
                                                   " live and %" APR_UINT64_T_FMT
                                                   " untracked sessions",
                         describe(cluster, i).c_str(), f.live, f.untracked);
            break;
        case DrainState::Drained:
            if (r.draining_since_ms.load(relaxed) == 0) r.draining_since_ms.store(now, relaxed);
            r.drained_since_ms.store(now, relaxed);
            log_drained(cluster, i, f, s);
            run_drained_command(cluster, i, s);
            break;
        case DrainState::Active:
            r.draining_since_ms.store(0, relaxed);
            r.drained_since_ms.store(0, relaxed);
            ap_log_error(
                APLOG_MARK, APLOG_INFO, 0, s, ZDU_LOG_INSTANCE_ACTIVE "%s active again (was %s)",
                describe(cluster, i).c_str(), from == DrainState::Drained ? "drained" : "draining");
            break;
    }
    // Drain clocks survive a stop/start through the state file, which the parent writes when
    // this moves.
    note_admin_change();
}

// Up to two moves per sweep, so that an instance retired with nothing left is drained within
// one sweep (active -> draining -> drained) rather than two.
void decide(const Runtime& rt, const ClusterRuntime& cluster, int i, bool retiring,
            std::int64_t now, server_rec* s) {
    state::SharedRecord& record = *cluster.instances[i].record;
    std::atomic<std::uint32_t>& state = record.drain_state;
    if (!retiring) record.in_service.store(1, relaxed);
    // Never in service: nothing to drain, no drained report, no command.
    if (record.in_service.load(relaxed) == 0 &&
        state.load(std::memory_order_acquire) == static_cast<std::uint32_t>(DrainState::Active)) {
        return;
    }
    for (int step = 0; step < 2; ++step) {
        auto from = static_cast<DrainState>(state.load(std::memory_order_acquire));
        lifecycle::DrainFacts facts = drain_facts(rt, cluster, i, retiring, now);
        DrainState to = lifecycle::next_state(from, facts);
        if (to == from || !lifecycle::transition(state, from, to)) return;
        moved(cluster, i, from, to, facts, now, s);
    }
}

std::size_t record_slot(const state::SharedTable& records, const state::SharedRecord& r) {
    return static_cast<std::size_t>(&r - &records.slot(0));
}

// How long an idled-out session's marker stays: the config's session timeout, the time its
// browser may still send the cookie.
sessions::Seconds idle_marker_s(const Runtime& rt) {
    return static_cast<sessions::Seconds>(rt.settings.session_timeout_minutes) *
           static_cast<sessions::Seconds>(rt.settings.minute_seconds);
}

void sweep(const Runtime& rt, server_rec* s) {
    ModuleState& st = module_state();
    if (!st.block) return;
    const std::int64_t now = now_ms();
    state::SharedTable records = st.block->records();
    sessions::SessionTable table = st.block->sessions();
    sessions::SweepResult counted =
        table.sweep(state::store_seconds(*st.block, now), records.capacity(), idle_marker_s(rt));
    for (const ClusterRuntime& cluster : rt.clusters) {
        const std::vector<bool> retiring = retiring_instances(cluster);
        for (std::size_t i = 0; i < cluster.instances.size(); ++i) {
            state::SharedRecord& r = *cluster.instances[i].record;
            std::size_t slot = record_slot(records, r);
            sessions::SlotCounts c =
                slot < counted.per_slot.size() ? counted.per_slot[slot] : sessions::SlotCounts{};
            r.live_sessions.store(c.live, relaxed);
            r.untracked_sessions.store(c.untracked, relaxed);
            r.sessions_expired.fetch_add(c.expired, relaxed);
            // For status' drain estimate: how fast its sessions go lately.
            metrics::sample_end_rate(r, now);
            // After the counts: a drain that reads this time reads counts at least as new.
            r.counted_ms.store(now, std::memory_order_release);
            decide(rt, cluster, static_cast<int>(i), retiring[i], now, s);
        }
    }
}

int sweep_interval_seconds(const Runtime& rt) {
    return rt.settings.session_sweep_interval_seconds;
}

void tick(server_rec* s) {
    // Only the watchdog thread touches it.
    static std::int64_t last_sweep_ms = 0;
    reap_drained_commands(s);
    follow_published(s);
    SnapshotSlot* slot = pin_snapshot();
    if (!slot) return;
    const Runtime& rt = *slot->value.runtime;
    const std::int64_t now = steady_ms();
    if (last_sweep_ms == 0 ||
        now - last_sweep_ms >= std::int64_t{sweep_interval_seconds(rt)} * 1000) {
        last_sweep_ms = now;
        try {
            sweep(rt, s);
        } catch (...) {
            release_snapshot(slot);
            throw;
        }
    }
    release_snapshot(slot);
}

apr_status_t on_watchdog(int state, void*, apr_pool_t*) {
    if (state != AP_WATCHDOG_STATE_RUNNING) return APR_SUCCESS;
    try {
        tick(ap_server_conf);
    } catch (const std::exception& e) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, ap_server_conf,
                     ZDU_LOG_SWEEP_FAILED "session sweep: %s", e.what());
    }
    return APR_SUCCESS;
}

int post_config(apr_pool_t* pconf, apr_pool_t*, apr_pool_t*, server_rec* s) {
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) return OK;
    if (!module_state().loaded) return OK;
    // Without the sweep sessions still route (the table and the cookies do that), but none idles
    // out of the table and no instance is ever reported drained.
    apr_status_t rv = APR_SUCCESS;
    switch (register_singleton(kWatchdogName, on_watchdog, pconf, rv)) {
        case WatchdogResult::Registered:
            break;
        case WatchdogResult::NoWatchdog:
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                         ZDU_LOG_SWEEP_FAILED
                         "mod_watchdog is not loaded: sessions are not swept and no instance is "
                         "reported drained");
            break;
        case WatchdogResult::Failed:
            ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                         ZDU_LOG_SWEEP_FAILED
                         "no watchdog for the session sweep: sessions are not swept and no "
                         "instance is reported drained");
            break;
    }
    return OK;
}

}  // namespace

void register_session_sweep() {
    // After mod_zdu's own post_config (the block, the runtime), before mod_watchdog's.
    static const char* const before_watchdog[] = {"mod_watchdog.c", nullptr};
    ap_hook_post_config(post_config, nullptr, before_watchdog, APR_HOOK_LAST);
}

}  // namespace zdu::glue
