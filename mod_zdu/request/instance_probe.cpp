#include "mod_zdu/request/instance_probe.hpp"

#include "mod_zdu/lifecycle/drain_facts.hpp"
#include "mod_zdu/log_ids.hpp"
#include "routing/instance_availability.hpp"
#include "state/instance_health.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

APR_OPTIONAL_FN_TYPE(ap_proxy_retry_worker) * retry_worker = nullptr;

bool worker_usable(proxy_worker* w, server_rec* s) {
    if (PROXY_WORKER_IS_USABLE(w)) return true;
    return retry_worker && retry_worker("BALANCER", w, s) == OK;
}

}  // namespace

void bind_worker_retry() {
    retry_worker = APR_RETRIEVE_OPTIONAL_FN(ap_proxy_retry_worker);
}

void InstanceProbe::recovered(int i) const {
    const InstanceRuntime& inst = cluster_.instances[i];
    if (!state::mark_healthy(*inst.record, now_ms_)) return;
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, server_,
                 ZDU_LOG_INSTANCE_HEALTHY
                 "cluster %s instance %s (%s): retrying after its "
                 "retry interval",
                 cluster_.config->name.c_str(), inst.config->name.c_str(), inst.worker_url.c_str());
}

bool InstanceProbe::usable(int i) const {
    const InstanceRuntime& inst = cluster_.instances[i];
    routing::InstanceFacts facts;
    facts.has_worker = inst.worker != nullptr;
    facts.tried = tried_ && tried_[i];
    facts.healthy = state::is_healthy(*inst.record);
    facts.active_checks = cluster_.active_checks();
    facts.admin = state::admin_state(*inst.record);
    switch (routing::availability(facts)) {
        case routing::Availability::Out:
            return false;
        case routing::Availability::IfWorkerUsable:
            return worker_usable(inst.worker, server_);
        case routing::Availability::RetryAfterInterval:
            if (!worker_usable(inst.worker, server_)) return false;
            recovered(i);
            return true;
    }
    return false;
}

bool InstanceProbe::serves(int i) const {
    const bool quiesced = now_ms_ >= drain_deadline_ms(rt_, cluster_, i);
    return routing::may_serve(usable(i), quiesced);
}

// A removed instance is kept, disabled, until its deadline (config/retained.hpp): its sessions
// are gone only then.
bool InstanceProbe::retired(int i) const {
    return now_ms_ >= drain_deadline_ms(rt_, cluster_, i);
}

bool InstanceProbe::takes(int i) const {
    const InstanceRuntime& inst = cluster_.instances[i];
    if (inst.record->check_gate.load(std::memory_order_relaxed) ==
        static_cast<std::uint32_t>(state::CheckGate::Waiting)) {
        return false;
    }
    return routing::may_take(usable(i), inst.config->enabled, inst.config->weight,
                             state::admin_state(*inst.record));
}

}  // namespace zdu::glue
