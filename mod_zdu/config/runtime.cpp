#include "mod_zdu/config/runtime.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <utility>

#include "mod_zdu/config/room_check.hpp"
#include "mod_zdu/config/spare_balancers.hpp"
#include "mod_zdu/config/worker_index.hpp"
#include "mod_zdu/config/worker_provisioning.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/policy/factory.hpp"
#include "state/instance_health.hpp"
#include "state/record_keys.hpp"

namespace zdu::glue {

std::string balancer_url_for(const config::Cluster& cluster) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx",
                  static_cast<unsigned long long>(state::cluster_key(cluster.name)));
    return std::string("balancer://zdu-") + std::string(hex, 12);
}

const config::Listener* forwarding_listener(const config::Instance& inst, bool https_routing) {
    config::Scheme wanted = https_routing ? config::Scheme::Https : config::Scheme::Http;
    for (const auto& l : inst.listeners) {
        if (l.scheme == wanted) return &l;
    }
    for (const auto& l : inst.listeners) {
        if (l.scheme != config::Scheme::Ajp) return &l;
    }
    return nullptr;
}

const WebModuleRuntime* Runtime::match(std::string_view path) const {
    int i = context_roots.match(path);
    return i < 0 ? nullptr : &web_modules[i];
}

namespace {

state::SharedRecord* claim(state::SharedTable& table, std::uint64_t key) {
    state::SharedRecord* r = table.claim(key);
    if (!r) throw std::runtime_error("shared state table is full; raise ZduStateSlots");
    return r;
}

std::uint16_t slot_of(const state::SharedTable& table, const state::SharedRecord* record) {
    std::size_t slot = static_cast<std::size_t>(record - &table.slot(0));
    if (slot > 0xffff) throw std::runtime_error("ZduStateSlots is over 65536; lower it");
    return static_cast<std::uint16_t>(slot);
}

// An instance a reload adds to a cluster with active checks waits for its first passing check
// before it takes new sessions; at start-up, and for records already known, nothing waits.
// Only a fresh record moves, so the children building the same generation agree.
void gate_new_instance(const ClusterRuntime& c, state::SharedRecord& record, BuildMode mode) {
    if (!c.active_checks()) return;
    auto unset = static_cast<std::uint32_t>(state::CheckGate::Unset);
    auto gate = mode == BuildMode::Reload ? state::CheckGate::Waiting : state::CheckGate::Open;
    record.check_gate.compare_exchange_strong(unset, static_cast<std::uint32_t>(gate),
                                              std::memory_order_relaxed);
}

// slot -> instance for every instance of the runtime (Runtime::instance_at).
void index_slots(Runtime& rt, std::size_t capacity) {
    rt.instance_at_slot.assign(capacity, -1);
    for (std::size_t ci = 0; ci < rt.clusters.size(); ++ci) {
        const auto& instances = rt.clusters[ci].instances;
        for (std::size_t i = 0; i < instances.size(); ++i) {
            rt.instance_at_slot[instances[i].slot] = static_cast<std::int32_t>(ci << 16 | i);
        }
    }
}

void build_route_cookies(WebModuleRuntime& w, const routing::ClusterRoutes& routes) {
    w.route_cookies.reserve(2 * routes.size());
    for (std::size_t i = 0; i < routes.size(); ++i) {
        const std::string plain =
            "JROUTE=" + routes.route(static_cast<int>(i)) + w.cookie_attributes;
        w.route_cookies.push_back(plain);
        w.route_cookies.push_back(plain + "; Secure");
    }
    w.expired_route_cookie[0] = "JROUTE=; Max-Age=0" + w.cookie_attributes;
    w.expired_route_cookie[1] = w.expired_route_cookie[0] + "; Secure";
}

WebModuleRuntime web_module_runtime(const config::WebModule& wm, int cluster,
                                    const routing::ClusterRoutes& routes,
                                    const config::Settings& settings) {
    WebModuleRuntime w;
    w.config = &wm;
    w.cluster = cluster;
    w.cookie_attributes = "; Path=" + wm.context_root + "; HttpOnly";
    build_route_cookies(w, routes);
    int minutes = wm.session_timeout_minutes > 0 ? wm.session_timeout_minutes
                                                 : settings.session_timeout_minutes;
    w.session_timeout_s =
        static_cast<std::uint32_t>(minutes) * static_cast<std::uint32_t>(settings.minute_seconds);
    w.entry_url = wm.context_root == "/" ? "/" : wm.context_root + "/";
    w.logout_patterns = routing::UrlPatternList(wm.logout_url_pattern);
    return w;
}

// The worker define_balancers made for the instance's forwarding listener; every instance has
// one, or requests and health checks would skip it without a word.
proxy_worker* bound_worker(const ClusterRuntime& c, const WorkerIndex& workers,
                           const config::Instance& inst, const config::Listener* l) {
    proxy_worker* w = l ? workers.find(*l) : nullptr;
    if (w) return w;
    throw std::runtime_error(std::string(ZDU_LOG_NO_WORKER) + "cluster '" + c.config->name +
                             "' instance '" + inst.name + "' listener " +
                             (l ? l->url() : std::string("(none)")) + ": no mod_proxy worker in " +
                             c.balancer_url);
}

// "scheme://host:port", and "scheme://host" too on the scheme's default port: a backend on
// port 80 leaves the port out of its redirects.
void add_listener_prefixes(ClusterRuntime& c, const config::Listener& l, int instance) {
    std::string url = l.url();
    c.listener_prefixes.emplace(url, instance);
    bool default_port = (l.scheme == config::Scheme::Http && l.port == 80) ||
                        (l.scheme == config::Scheme::Https && l.port == 443);
    if (default_port) c.listener_prefixes.emplace(url.substr(0, url.rfind(':')), instance);
}

// A reload's worker: the balancer's own, or one added in a growth slot (refused past it).
proxy_worker* provided_worker(WorkerProvisioner& provisioner, const ClusterRuntime& c,
                              const config::Instance& inst) {
    std::string error;
    proxy_worker* w = provisioner.provide(*c.config, inst, error);
    if (!w) throw std::runtime_error(error);
    return w;
}

void bind_instances(ClusterRuntime& c, state::SharedTable& table, const config::Settings& settings,
                    server_rec* s, BuildMode mode) {
    WorkerIndex workers(c.balancer);
    std::optional<WorkerProvisioner> provisioner;
    if (mode == BuildMode::Reload) {
        provisioner.emplace(c.balancer, s, settings);
        int missing = provisioner->missing_workers(*c.config);
        if (missing > provisioner->free_slots()) {
            throw std::runtime_error(
                growth_refusal(c.config->name, missing, provisioner->free_slots()));
        }
    }
    for (const auto& inst : c.config->instances) {
        InstanceRuntime ir;
        ir.config = &inst;
        ir.record = claim(table, state::instance_key(c.config->name, inst.name));
        ir.slot = slot_of(table, ir.record);
        gate_new_instance(c, *ir.record, mode);
        const config::Listener* l = forwarding_listener(inst, settings.https_routing);
        ir.worker = provisioner ? provided_worker(*provisioner, c, inst)
                                : bound_worker(c, workers, inst, l);
        ir.worker_url = l ? l->url() : std::string();
        ir.tls = l && l->scheme == config::Scheme::Https;
        for (const auto& any : inst.listeners) {
            add_listener_prefixes(c, any, static_cast<int>(c.instances.size()));
        }
        c.instances.push_back(std::move(ir));
    }
    if (provisioner) set_max_attempts(c.balancer, c.instances.size());
}

// The cluster's balancer; a cluster a reload adds takes a spare one (refused past the reserve).
proxy_balancer* balancer_of(ClusterRuntime& c, proxy_server_conf* conf, server_rec* s,
                            apr_pool_t* p, BuildMode mode) {
    proxy_balancer* b = ap_proxy_get_balancer(p, conf, c.balancer_url.c_str(), 0);
    if (b || mode != BuildMode::Reload) return b;
    std::string error;
    b = claim_spare_balancer(s, c.config->name, error);
    if (!b) throw std::runtime_error(error);
    c.balancer_url = b->s->name;
    return b;
}

}  // namespace

std::unique_ptr<Runtime> build_runtime(config::ConfigPtr config, state::SharedTable& table,
                                       server_rec* s, apr_pool_t* p, BuildMode mode) {
    auto rt = std::make_unique<Runtime>();
    rt->config = std::move(config);
    rt->settings = config::settings_of(*rt->config);
    auto* conf =
        static_cast<proxy_server_conf*>(ap_get_module_config(s->module_config, &proxy_module));
    rt->clusters.reserve(rt->config->clusters.size());
    for (const auto& cluster : rt->config->clusters) {
        ClusterRuntime& c = rt->clusters.emplace_back(cluster);
        c.balancer_url = balancer_url_for(cluster);
        c.balancer = balancer_of(c, conf, s, p, mode);
        if (!c.balancer) throw std::runtime_error("balancer " + c.balancer_url + " not defined");
        c.record = claim(table, state::cluster_key(cluster.name));
        c.key = state::cluster_key(cluster.name);
        c.session_cookie = std::string(cluster.session_cookie_name());
        std::string policy_error;
        c.policy = make_policy(cluster, p, policy_error);
        if (!policy_error.empty()) throw std::runtime_error(policy_error);
        bind_instances(c, table, rt->settings, s, mode);
    }
    for (std::size_t ci = 0; ci < rt->clusters.size(); ++ci) {
        const auto& cluster = *rt->clusters[ci].config;
        for (const auto& wm : cluster.web_modules) {
            WebModuleRuntime w =
                web_module_runtime(wm, static_cast<int>(ci), rt->clusters[ci].routes, rt->settings);
            w.record = claim(table, state::web_module_key(cluster.name, wm.context_root));
            rt->web_modules.push_back(std::move(w));
        }
    }
    std::vector<std::string_view> roots;
    for (const auto& wm : rt->web_modules) roots.push_back(wm.config->context_root);
    rt->context_roots = routing::ContextRoots(roots);
    index_slots(*rt, table.capacity());
    return rt;
}

namespace {

void note_one(state::SharedRecord& record, bool enabled, std::int64_t now_ms) {
    if (enabled) {
        record.disabled_since_ms.store(0, std::memory_order_relaxed);
        return;
    }
    std::int64_t unset = 0;
    record.disabled_since_ms.compare_exchange_strong(unset, now_ms, std::memory_order_relaxed);
}

}  // namespace

void note_disabled_since(const Runtime& rt, std::int64_t now_ms) {
    for (const auto& c : rt.clusters) {
        for (const auto& inst : c.instances) note_one(*inst.record, inst.config->enabled, now_ms);
    }
    for (const auto& wm : rt.web_modules) note_one(*wm.record, wm.config->enabled, now_ms);
}

std::int64_t quiesce_deadline_ms(const Runtime& rt, bool enabled, int timeout_minutes,
                                 const state::SharedRecord& record) {
    if (enabled) return INT64_MAX;
    return record.disabled_since_ms.load(std::memory_order_relaxed) +
           rt.minutes_ms(timeout_minutes);
}

}  // namespace zdu::glue
