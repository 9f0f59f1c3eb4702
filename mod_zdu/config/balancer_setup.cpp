#include "mod_zdu/config/balancer_setup.hpp"

#include "mod_zdu/config/runtime.hpp"
#include "mod_zdu/config/worker_index.hpp"
#include "mod_zdu/config/worker_provisioning.hpp"
#include "mod_zdu/log_ids.hpp"

namespace zdu::glue {
namespace {

std::string instance_text(const config::Cluster& cluster, const config::Instance& inst) {
    return "cluster '" + cluster.name + "' instance '" + inst.name + "' (line " +
           std::to_string(inst.line) + ")";
}

// An instance with only ajp:// listeners could never take a request: refused, not skipped.
std::string no_forwarding_listener(const config::Cluster& cluster, const config::Instance& inst) {
    std::string listeners;
    for (const auto& l : inst.listeners) listeners += (listeners.empty() ? "" : " ") + l.url();
    return ZDU_LOG_NO_WORKER + instance_text(cluster, inst) + " has no http:// or https:// " +
           "listener (listeners: " + listeners + "); mod_zdu forwards over HTTP only";
}

std::string define_workers(const config::Cluster& cluster, proxy_balancer* balancer,
                           proxy_server_conf* conf, const config::Settings& settings,
                           apr_pool_t* p) {
    WorkerIndex workers(balancer);
    for (const auto& inst : cluster.instances) {
        const config::Listener* l = forwarding_listener(inst, settings.https_routing);
        if (!l) return no_forwarding_listener(cluster, inst);
        if (workers.find(*l)) continue;  // instances with the same listener share its worker
        std::string url = l->url();
        proxy_worker* worker = nullptr;
        if (const char* err = ap_proxy_define_worker(p, &worker, balancer, conf, url.c_str(), 0)) {
            return instance_text(cluster, inst) + " listener " + url + ": " + err;
        }
        workers.add(worker);
        // The runtime binds instances through the same index: fail now, not at request time.
        if (workers.find(*l) != worker) {
            return ZDU_LOG_NO_WORKER + instance_text(cluster, inst) + " listener " + url +
                   ": mod_proxy named its worker " + worker->s->name_ex +
                   ", which mod_zdu cannot bind";
        }
        apply_worker_settings(worker, settings);
    }
    return {};
}

}  // namespace

std::string define_balancers(const config::LoadBalancer& lb, server_rec* s, apr_pool_t* p) {
    auto* conf =
        static_cast<proxy_server_conf*>(ap_get_module_config(s->module_config, &proxy_module));
    config::Settings settings = config::settings_of(lb);
    for (const auto& cluster : lb.clusters) {
        std::string url = balancer_url_for(cluster);
        proxy_balancer* balancer = ap_proxy_get_balancer(p, conf, url.c_str(), 0);
        if (!balancer) {
            if (const char* err =
                    ap_proxy_define_balancer(p, &balancer, conf, url.c_str(), "/", 0)) {
                return "cluster '" + cluster.name + "': " + err;
            }
        }
        // Growth is set again once every directive is read (ZduGrowth may come later).
        balancer->growth = provisioning_limits().growth;
        balancer->growth_set = 1;
        set_max_attempts(balancer, cluster.instances.size());
        std::string err = define_workers(cluster, balancer, conf, settings, p);
        if (!err.empty()) return err;
    }
    return {};
}

}  // namespace zdu::glue
