#include "mod_zdu/config/spare_balancers.hpp"

#include <cstring>
#include <exception>

#include "mod_zdu/config/worker_provisioning.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "state/spare_claims.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

constexpr char kOurPrefix[] = "balancer://zdu-";

proxy_server_conf* proxy_conf_of(server_rec* s) {
    return static_cast<proxy_server_conf*>(ap_get_module_config(s->module_config, &proxy_module));
}

// By name, without allocating: the spares were defined at start-up, in this list.
proxy_balancer* balancer_named(proxy_server_conf* conf, const std::string& url) {
    auto* balancers = reinterpret_cast<proxy_balancer*>(conf->balancers->elts);
    for (int i = 0; i < conf->balancers->nelts; ++i) {
        if (url == balancers[i].s->name) return &balancers[i];
    }
    return nullptr;
}

std::string define_spare(int index, proxy_server_conf* conf, apr_pool_t* pconf) {
    std::string url = spare_balancer_url(index);
    if (balancer_named(conf, url)) return {};
    proxy_balancer* b = nullptr;
    if (const char* err = ap_proxy_define_balancer(pconf, &b, conf, url.c_str(), "/", 0)) {
        return std::string("spare balancer ") + url + ": " + err;
    }
    set_max_attempts(b, 1);
    return {};
}

// httpd's count of config passes: the same in the parent and every child it forks, one more
// after each graceful restart.
std::uint32_t config_generation() {
    return static_cast<std::uint32_t>(ap_state_query(AP_SQ_CONFIG_GEN));
}

// check_config: after every directive was read, before mod_proxy_balancer's post_config.
int reserve_room(apr_pool_t* pconf, apr_pool_t*, apr_pool_t*, server_rec* s) {
    if (!module_state().loaded) return OK;
    std::string err;
    try {  // a hook of httpd's: nothing may escape
        err = reserve_balancer_room(s, pconf);
    } catch (const std::exception& e) {
        err = e.what();
    }
    if (err.empty()) return OK;
    ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, ZDU_LOG_WORKER_ADD_FAILED "%s", err.c_str());
    return HTTP_INTERNAL_SERVER_ERROR;
}

// A spare without growth slots could take no instance: with ZduGrowth 0 there are none.
int spare_count() {
    const ProvisioningLimits& limits = provisioning_limits();
    return limits.growth > 0 ? limits.spare_clusters : 0;
}

std::string spares_used_up(std::string_view cluster) {
    const ProvisioningLimits& limits = provisioning_limits();
    std::string why =
        limits.growth > 0
            ? "the spare balancers (ZduSpareClusters=" + std::to_string(limits.spare_clusters) +
                  ") are used up"
            : "ZduGrowth=0 reserves no spare balancers";
    return std::string(ZDU_LOG_SPARES_USED_UP) + "cluster " + std::string(cluster) +
           " needs a balancer but " + why + "; a graceful restart is needed";
}

}  // namespace

std::string spare_balancer_url(int index) {
    return std::string(kOurPrefix) + "spare-" + std::to_string(index);
}

std::string reserve_balancer_room(server_rec* s, apr_pool_t* pconf) {
    proxy_server_conf* conf = proxy_conf_of(s);
    const ProvisioningLimits& limits = provisioning_limits();
    for (int i = 0; i < spare_count(); ++i) {
        std::string err = define_spare(i, conf, pconf);
        if (!err.empty()) return err;
    }
    // Every balancer of ours, the spares included: mod_proxy_balancer makes each slotmem with
    // room for its members plus this many, in post_config.
    auto* balancers = reinterpret_cast<proxy_balancer*>(conf->balancers->elts);
    for (int i = 0; i < conf->balancers->nelts; ++i) {
        proxy_balancer& b = balancers[i];
        if (std::strncmp(b.s->name, kOurPrefix, sizeof kOurPrefix - 1) != 0) continue;
        b.growth = limits.growth;
        b.growth_set = 1;
    }
    return {};
}

proxy_balancer* claim_spare_balancer(server_rec* s, std::string_view cluster, std::string& error) {
    ModuleState& st = module_state();
    if (!st.block) {
        error = "no shared memory to claim a spare balancer in";
        return nullptr;
    }
    state::SharedTable table = st.block->records();
    state::SpareClaims claims(table, spare_count(), config_generation());
    bool fresh = false;
    int index = claims.claim(cluster, &fresh);
    if (index < 0) {
        error = spares_used_up(cluster);
        return nullptr;
    }
    proxy_balancer* b = balancer_named(proxy_conf_of(s), spare_balancer_url(index));
    if (!b) {
        error = "spare balancer " + spare_balancer_url(index) + " was not defined at start-up";
        return nullptr;
    }
    if (fresh) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                     ZDU_LOG_SPARE_CLAIMED "cluster %.*s runs on spare balancer %s (%d of %d used)",
                     static_cast<int>(cluster.size()), cluster.data(), b->s->name, claims.used(),
                     claims.total());
    }
    return b;
}

proxy_balancer* claimed_spare_balancer(server_rec* s, std::string_view cluster) {
    ModuleState& st = module_state();
    if (!st.block) return nullptr;
    state::SharedTable table = st.block->records();
    const int index = state::SpareClaims(table, spare_count(), config_generation()).find(cluster);
    return index < 0 ? nullptr : balancer_named(proxy_conf_of(s), spare_balancer_url(index));
}

std::string check_spare_room(server_rec* s, const std::vector<std::string>& wanted) {
    ModuleState& st = module_state();
    if (wanted.empty()) return {};
    if (!st.block) return "no shared memory to claim a spare balancer in";
    state::SharedTable table = st.block->records();
    state::SpareClaims claims(table, spare_count(), config_generation());
    int free = claims.total() - claims.used();
    for (const auto& cluster : wanted) {
        const int index = claims.find(cluster);
        if (index >= 0 && balancer_named(proxy_conf_of(s), spare_balancer_url(index))) continue;
        if (free-- <= 0) return spares_used_up(cluster);
    }
    return {};
}

void register_balancer_room() {
    ap_hook_check_config(reserve_room, nullptr, nullptr, APR_HOOK_MIDDLE);
}

SpareUsage spare_usage() {
    ModuleState& st = module_state();
    SpareUsage u;
    u.total = spare_count();
    if (!st.block) return u;
    state::SharedTable table = st.block->records();
    u.used = state::SpareClaims(table, u.total, config_generation()).used();
    return u;
}

}  // namespace zdu::glue
