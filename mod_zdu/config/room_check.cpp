#include "mod_zdu/config/room_check.hpp"

#include <vector>

#include "config/settings.hpp"
#include "mod_zdu/config/runtime.hpp"
#include "mod_zdu/config/spare_balancers.hpp"
#include "mod_zdu/config/worker_provisioning.hpp"

namespace zdu::glue {
namespace {

proxy_balancer* own_balancer(proxy_server_conf* conf, const std::string& url) {
    auto* balancers = reinterpret_cast<proxy_balancer*>(conf->balancers->elts);
    for (int i = 0; i < conf->balancers->nelts; ++i) {
        if (url == balancers[i].s->name) return &balancers[i];
    }
    return nullptr;
}

// A cluster on a balancer that does not exist yet gets a fresh spare: ZduGrowth slots, no member.
std::string fits_fresh_spare(const config::Cluster& c, const config::Settings& settings) {
    std::vector<std::string> listeners;
    for (const auto& inst : c.instances) {
        const config::Listener* l = forwarding_listener(inst, settings.https_routing);
        if (!l) continue;
        std::string url = l->url();
        bool seen = false;
        for (const auto& u : listeners) seen = seen || u == url;
        if (!seen) listeners.push_back(std::move(url));
    }
    const int growth = provisioning_limits().growth;
    const int missing = static_cast<int>(listeners.size());
    return missing <= growth ? std::string() : growth_refusal(c.name, missing, growth);
}

}  // namespace

std::string growth_refusal(const std::string& cluster, int missing, int free) {
    return "cluster '" + cluster + "' needs " + std::to_string(missing) +
           " new workers but its balancer's growth reserve (ZduGrowth=" +
           std::to_string(provisioning_limits().growth) + ") has " + std::to_string(free) +
           " left; a graceful restart is needed";
}

std::string check_room(const config::LoadBalancer& lb, server_rec* s) {
    auto* conf =
        static_cast<proxy_server_conf*>(ap_get_module_config(s->module_config, &proxy_module));
    const config::Settings settings = config::settings_of(lb);
    std::vector<std::string> need_spare;
    for (const auto& c : lb.clusters) {
        proxy_balancer* b = own_balancer(conf, balancer_url_for(c));
        if (!b) b = claimed_spare_balancer(s, c.name);
        if (!b) {
            if (std::string why = fits_fresh_spare(c, settings); !why.empty()) return why;
            need_spare.push_back(c.name);
            continue;
        }
        WorkerProvisioner provisioner(b, s, settings);
        const int missing = provisioner.missing_workers(c);
        if (missing > provisioner.free_slots()) {
            return growth_refusal(c.name, missing, provisioner.free_slots());
        }
    }
    return check_spare_room(s, need_spare);
}

}  // namespace zdu::glue
