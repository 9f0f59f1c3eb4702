// mod_proxy workers and balancers while the server runs, for a reload that adds instances or
// clusters without a restart. Balancers and their shared-memory slots can only be made at
// start-up, so start-up reserves room: ZduGrowth free worker slots in every balancer of ours
// and ZduSpareClusters spare balancers. A reload then fills that room the way
// mod_proxy_balancer's balancer-manager adds a member, and every other child picks the new
// workers up through ap_proxy_sync_balancer. Slots are never given back: a removed instance
// keeps its worker (and its counters), one that comes back on the same listener reuses it.
//
// Locking: conf->pool (pconf) is not thread-safe, and every define or sync allocates from it, so
// all of that runs under one process-wide mutex of ours, then the balancer's thread mutex, then
// (for the slotmem scan and grab, which other children write) the balancer's global mutex.
#pragma once

#include <cstddef>
#include <string>

#include "config/model.hpp"
#include "config/settings.hpp"
#include "mod_zdu/config/worker_index.hpp"
#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// ZduGrowth and ZduSpareClusters, read by start-up (check_config) before mod_proxy_balancer
// sizes the slotmems in post_config.
struct ProvisioningLimits {
    int growth = 16;         // free worker slots per balancer of ours
    int spare_clusters = 4;  // spare balancers for clusters a reload adds
};
ProvisioningLimits& provisioning_limits();

// Worker slots of a balancer: `used` of `total` are taken; `total` is what start-up reserved
// (configured workers + ZduGrowth). For the status JSON.
struct GrowthUsage {
    int used = 0;
    int total = 0;
    int left() const { return total - used; }
};
GrowthUsage growth_usage(proxy_balancer* balancer);

// Provides the workers of one cluster's balancer, in a child, off the request path (the thread
// that builds a new runtime). Construct one per balancer per reload: it syncs the balancer
// with what other children added and indexes its workers once, so each provide() is O(1) unless
// it has to add a worker.
class WorkerProvisioner {
  public:
    WorkerProvisioner(proxy_balancer* balancer, server_rec* s, const config::Settings& settings);

    // The worker of `inst`'s forwarding listener: the existing one (its timeouts updated to
    // `settings`), or a new one put in a free growth slot and initialised. Null, with `error`
    // set, when the instance has no http(s) listener, when mod_proxy refuses the URL, or when
    // the growth reserve is used up ("instance X of cluster C needs a new worker but the growth
    // reserve (ZduGrowth=N) is used up; a graceful restart is needed").
    proxy_worker* provide(const config::Cluster& cluster, const config::Instance& inst,
                          std::string& error);

    // Workers `cluster` needs that the balancer does not have yet (instances sharing a listener
    // need one), so a reload can be refused before it takes any slot.
    int missing_workers(const config::Cluster& cluster) const;
    int free_slots() const;

  private:
    proxy_worker* add_worker(const config::Cluster& cluster, const config::Instance& inst,
                             const config::Listener& listener, std::string& error);
    proxy_worker* define_in_slot(const config::Instance& inst, const std::string& url,
                                 std::string& error);

    proxy_balancer* balancer_;
    server_rec* server_;
    proxy_server_conf* conf_;
    const config::Settings& settings_;
    WorkerIndex index_;
};

// One-off form of WorkerProvisioner::provide.
proxy_worker* provide_worker(proxy_balancer* balancer, server_rec* s,
                             const config::Cluster& cluster, const config::Instance& inst,
                             const config::Settings& settings, std::string& error);

// Request path: picks up workers other children added since this child last looked. One
// comparison of two timestamps unless the balancer's worker list moved.
void sync_balancer_if_updated(proxy_balancer* balancer, server_rec* s, proxy_server_conf* conf);

// mod_proxy's bound on attempts per request: one per instance (mod_zdu decides retries itself;
// this is only a backstop). In shared memory: every child sees the new value.
void set_max_attempts(proxy_balancer* balancer, std::size_t instances);

// The timeouts and connection reuse of a worker, from the xml's properties.
void apply_worker_settings(proxy_worker* w, const config::Settings& settings);

}  // namespace zdu::glue
