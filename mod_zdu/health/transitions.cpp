#include "mod_zdu/health/transitions.hpp"

#include <cstdio>
#include <string>

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/time_ms.hpp"
#include "state/instance_health.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

constexpr unsigned int kErrorBits = PROXY_WORKER_IN_ERROR | PROXY_WORKER_HC_FAIL;

std::string describe(const health::PingResult& r) {
    char text[64];
    std::snprintf(text, sizeof text, " in %.1f ms", static_cast<double>(r.elapsed.count()) / 1000);
    return (r.error.empty() ? "status " + std::to_string(r.status) : r.error) + text;
}

void recover(const ClusterCheck& c, const InstanceCheck& inst, const health::PingResult& r,
             server_rec* s) {
    const bool was_down = state::mark_healthy(*inst.record, now_ms());
    // Atomic: mod_proxy in every child updates other bits of the same word.
    const unsigned int old =
        __atomic_fetch_and(&inst.worker->s->status, ~kErrorBits, __ATOMIC_ACQ_REL);
    if (!was_down && (old & kErrorBits) == 0) return;
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                 ZDU_LOG_INSTANCE_HEALTHY
                 "cluster %s instance %s listener %s is healthy again: "
                 "health check answered %s",
                 c.name.c_str(), inst.name.c_str(), inst.listener.c_str(), describe(r).c_str());
}

void take_down(const ClusterCheck& c, const InstanceCheck& inst, const health::PingResult& r,
               server_rec* s, std::uint32_t failures) {
    const bool was_up = state::mark_unhealthy(*inst.record, state::Failure::CheckFailed, now_ms());
    // error_time first: mod_proxy's retry interval counts from it once it sees the bit.
    inst.worker->s->error_time = apr_time_now();
    __atomic_or_fetch(&inst.worker->s->status, PROXY_WORKER_IN_ERROR, __ATOMIC_ACQ_REL);
    if (!was_up) return;
    ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                 ZDU_LOG_INSTANCE_UNHEALTHY
                 "cluster %s instance %s listener %s is unhealthy: "
                 "%u health checks in a row failed, the last: %s",
                 c.name.c_str(), inst.name.c_str(), inst.listener.c_str(), failures,
                 describe(r).c_str());
}

void note_failed_check(const ClusterCheck& c, const InstanceCheck& inst,
                       const health::PingResult& r, server_rec* s, const health::Verdict& v) {
    const bool healthy = v.kind == health::Verdict::Kind::Failing;
    ap_log_error(APLOG_MARK, healthy ? APLOG_INFO : APLOG_DEBUG, 0, s,
                 ZDU_LOG_CHECK_FAILED
                 "cluster %s instance %s listener %s: "
                 "health check %s failed (%u in a row): %s",
                 c.name.c_str(), inst.name.c_str(), inst.listener.c_str(), inst.target.path.c_str(),
                 v.failures, describe(r).c_str());
}

}  // namespace

bool instance_healthy(const InstanceCheck& inst) {
    return state::is_healthy(*inst.record) &&
           (__atomic_load_n(&inst.worker->s->status, __ATOMIC_ACQUIRE) & kErrorBits) == 0;
}

void apply_ping(const ClusterCheck& c, const InstanceCheck& inst, const health::PingResult& r,
                server_rec* s) {
    using Kind = health::Verdict::Kind;
    const health::Verdict v =
        health::judge(c.policy, instance_healthy(inst),
                      inst.record->check_failures.load(std::memory_order_relaxed), r.healthy());
    inst.record->check_failures.store(v.failures, std::memory_order_relaxed);
    if (r.healthy()) {
        // A passing check opens an instance a reload added to new sessions.
        auto waiting = static_cast<std::uint32_t>(state::CheckGate::Waiting);
        inst.record->check_gate.compare_exchange_strong(
            waiting, static_cast<std::uint32_t>(state::CheckGate::Open), std::memory_order_relaxed);
    }
    switch (v.kind) {
        case Kind::StillHealthy:
            return;
        case Kind::Recovered:
            return recover(c, inst, r, s);
        case Kind::Failed:
            return take_down(c, inst, r, s, v.failures);
        case Kind::Failing:
        case Kind::StillDown:
            return note_failed_check(c, inst, r, s, v);
    }
}

void release_unpingable(const ClusterCheck& c, const InstanceCheck& inst, server_rec* s) {
    const std::int64_t since = inst.record->unhealthy_since_ms.load(std::memory_order_relaxed);
    if (since == 0) return;
    const std::int64_t retry_ms = apr_time_as_msec(inst.worker->s->retry);
    if (now_ms() - since < retry_ms || !state::mark_healthy(*inst.record, now_ms())) return;
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                 ZDU_LOG_INSTANCE_HEALTHY
                 "cluster %s instance %s listener %s: "
                 "retrying after its retry interval (no http listener to health-check)",
                 c.name.c_str(), inst.name.c_str(), inst.listener.c_str());
}

}  // namespace zdu::glue
