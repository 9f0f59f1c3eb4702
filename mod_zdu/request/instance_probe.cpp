#include "mod_zdu/request/instance_probe.hpp"

#include "mod_zdu/log_ids.hpp"
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

bool InstanceProbe::usable(int i) const {
    const InstanceRuntime& inst = cluster_.instances[i];
    if (!inst.worker) return false;
    if (state::admin_state(*inst.record) == state::AdminState::Stopped) return false;
    if (state::is_healthy(*inst.record)) return worker_usable(inst.worker, server_);
    if (cluster_.active_checks() || !worker_usable(inst.worker, server_)) return false;
    if (state::mark_healthy(*inst.record, now_ms_)) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, server_,
                     ZDU_LOG_INSTANCE_HEALTHY
                     "cluster %s instance %s (%s): retrying after its "
                     "retry interval",
                     cluster_.config->name.c_str(), inst.config->name.c_str(),
                     inst.worker_url.c_str());
    }
    return true;
}

bool InstanceProbe::serves(int i) const {
    const InstanceRuntime& inst = cluster_.instances[i];
    const config::Instance& cfg = *inst.config;
    return now_ms_ <
               quiesce_deadline_ms(rt_, cfg.enabled, cfg.disable_timeout_minutes, *inst.record) &&
           usable(i);
}

bool InstanceProbe::takes(int i) const {
    const InstanceRuntime& inst = cluster_.instances[i];
    return inst.config->enabled && inst.config->weight > 0 &&
           state::admin_state(*inst.record) == state::AdminState::Active && usable(i);
}

}  // namespace zdu::glue
