#include "mod_zdu/config/worker_provisioning.hpp"

#include <exception>
#include <mutex>
#include <type_traits>
#include <unordered_set>

#include "mod_zdu/config/runtime.hpp"
#include "mod_zdu/log_ids.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

// Serialises, within this process, everything here that allocates from conf->pool (defines,
// syncs), over all balancers of ours: pools are not thread-safe, and the balancer's own thread
// mutex only covers one balancer. A plain static: it must have no destructor that an exiting
// child would run while other threads still hold it.
static_assert(std::is_trivially_destructible_v<std::mutex>);
std::mutex provisioning_mutex;

// The balancer's thread mutex, then its global one (the slotmem is written by every child). In
// the parent at start-up neither exists yet, and the macros skip a null mutex.
class BalancerLock {
  public:
    explicit BalancerLock(proxy_balancer* b) : process_(provisioning_mutex), b_(b) {
        PROXY_THREAD_LOCK(b_);
        PROXY_GLOBAL_LOCK(b_);
    }
    ~BalancerLock() {
        PROXY_GLOBAL_UNLOCK(b_);
        PROXY_THREAD_UNLOCK(b_);
    }
    BalancerLock(const BalancerLock&) = delete;
    BalancerLock& operator=(const BalancerLock&) = delete;

  private:
    std::lock_guard<std::mutex> process_;
    proxy_balancer* b_;
};

proxy_server_conf* proxy_conf_of(server_rec* s) {
    return static_cast<proxy_server_conf*>(ap_get_module_config(s->module_config, &proxy_module));
}

bool has_slotmem(const proxy_balancer* b) {
    return b->storage && b->wslot;
}

apr_time_t load_time(const apr_time_t& t) {
    return __atomic_load_n(&t, __ATOMIC_ACQUIRE);
}

// Under BalancerLock. Before start-up made the slotmem there is nothing to pick up.
void sync_locked(proxy_balancer* b, server_rec* s, proxy_server_conf* conf) {
    if (!has_slotmem(b) || load_time(b->s->wupdated) <= load_time(b->wupdated)) return;
    apr_status_t rv = ap_proxy_sync_balancer(b, s, conf);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     ZDU_LOG_BALANCER_SYNC_FAILED
                     "%s: picking up workers other processes added failed (mod_proxy logged why)",
                     b->s->name);
    }
}

// Every child compares its own stamp with the shared one: the new stamp must be larger than
// any a child may hold, even when the clock did not move since the last change.
void bump_wupdated(proxy_balancer* b) {
    apr_time_t now = apr_time_now();
    if (now <= b->s->wupdated) now = b->s->wupdated + 1;
    __atomic_store_n(&b->wupdated, now, __ATOMIC_RELEASE);
    __atomic_store_n(&b->s->wupdated, now, __ATOMIC_RELEASE);
}

std::string growth_used_up(const config::Cluster& cluster, const config::Instance& inst) {
    return std::string(ZDU_LOG_GROWTH_USED_UP) + "instance " + inst.name + " of cluster " +
           cluster.name + " needs a new worker but the growth reserve (ZduGrowth=" +
           std::to_string(provisioning_limits().growth) +
           ") is used up; a graceful restart is needed";
}

std::string no_listener(const config::Cluster& cluster, const config::Instance& inst) {
    return std::string(ZDU_LOG_NO_WORKER) + "instance " + inst.name + " of cluster " +
           cluster.name + " has no http:// or https:// listener; mod_zdu forwards over HTTP only";
}

std::string add_failed(const config::Instance& inst, const std::string& url, const char* what) {
    return std::string(ZDU_LOG_WORKER_ADD_FAILED) + "instance " + inst.name + " listener " + url +
           ": " + what;
}

}  // namespace

ProvisioningLimits& provisioning_limits() {
    static ProvisioningLimits limits;
    return limits;
}

GrowthUsage growth_usage(proxy_balancer* b) {
    GrowthUsage u;
    if (!b || !has_slotmem(b)) return u;
    u.total = b->max_workers;
    u.used = u.total - static_cast<int>(b->storage->num_free_slots(b->wslot));
    return u;
}

void apply_worker_settings(proxy_worker* w, const config::Settings& settings) {
    // Every reload applies these to every worker, in shared memory other children read: each
    // field is written only when it changes, and the flag words (bit-fields shared with other
    // flags) not at all once set.
    auto set = [](apr_time_t& field, apr_time_t value) {
        if (field != value) field = value;
    };
    // response-timeout-in-seconds is the backend read timeout; 0 means none, i.e. a day.
    int seconds =
        settings.response_timeout_seconds > 0 ? settings.response_timeout_seconds : 24 * 3600;
    set(w->s->timeout, apr_time_from_sec(seconds));
    if (!w->s->timeout_set) w->s->timeout_set = 1;
    // Without its own connect timeout mod_proxy connects with the read timeout: a black-holed
    // instance would cost the whole response timeout per attempt before failing over.
    set(w->s->conn_timeout, apr_time_from_sec(settings.connect_timeout_seconds));
    if (!w->s->conn_timeout_set) w->s->conn_timeout_set = 1;
    // Idle pooled connections older than this are closed instead of reused, so a backend that
    // closes idle keep-alive connections (GlassFish after 30 s, Tomcat after 20 s) rarely
    // closes one just as a request goes out on it. 0: no limit. mod_proxy reads it when it
    // makes the worker's connection pool, so a reload changes it for new workers only.
    set(w->s->ttl, apr_time_from_sec(settings.connection_ttl_seconds));
}

void set_max_attempts(proxy_balancer* b, std::size_t instances) {
    __atomic_store_n(&b->s->max_attempts, static_cast<int>(instances), __ATOMIC_RELAXED);
    if (!b->s->max_attempts_set) b->s->max_attempts_set = 1;
}

void sync_balancer_if_updated(proxy_balancer* b, server_rec* s, proxy_server_conf* conf) {
    if (!b || load_time(b->s->wupdated) <= load_time(b->wupdated)) return;
    // Called from httpd's C code: nothing may escape (std::mutex::lock may throw).
    try {
        BalancerLock lock(b);
        sync_locked(b, s, conf);
    } catch (const std::exception& e) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, ZDU_LOG_BALANCER_SYNC_FAILED "%s: %s", b->s->name,
                     e.what());
    }
}

WorkerProvisioner::WorkerProvisioner(proxy_balancer* balancer, server_rec* s,
                                     const config::Settings& settings)
    : balancer_(balancer), server_(s), conf_(proxy_conf_of(s)), settings_(settings) {
    BalancerLock lock(balancer_);
    sync_locked(balancer_, server_, conf_);
    index_.add_from(balancer_);
}

proxy_worker* WorkerProvisioner::provide(const config::Cluster& cluster,
                                         const config::Instance& inst, std::string& error) {
    const config::Listener* l = forwarding_listener(inst, settings_.https_routing);
    if (!l) {
        error = no_listener(cluster, inst);
        return nullptr;
    }
    proxy_worker* w = index_.find(*l);
    if (!w) w = add_worker(cluster, inst, *l, error);
    if (w) apply_worker_settings(w, settings_);
    return w;
}

int WorkerProvisioner::missing_workers(const config::Cluster& cluster) const {
    std::unordered_set<std::string> missing;
    for (const auto& inst : cluster.instances) {
        const config::Listener* l = forwarding_listener(inst, settings_.https_routing);
        if (l && !index_.find(*l)) missing.insert(l->url());
    }
    return static_cast<int>(missing.size());
}

int WorkerProvisioner::free_slots() const {
    return growth_usage(balancer_).left();
}

// What mod_proxy_balancer's balancer-manager does to add a member, under the balancer's locks:
// another child may have added the same listener since this provisioner synced, so sync again
// and look before taking a slot.
proxy_worker* WorkerProvisioner::add_worker(const config::Cluster& cluster,
                                            const config::Instance& inst,
                                            const config::Listener& listener, std::string& error) {
    BalancerLock lock(balancer_);
    sync_locked(balancer_, server_, conf_);
    index_.add_from(balancer_);
    if (proxy_worker* w = index_.find(listener)) return w;
    std::string url = listener.url();
    if (!has_slotmem(balancer_)) {
        error = add_failed(inst, url, "the balancer has no shared memory yet");
        return nullptr;
    }
    if (balancer_->storage->num_free_slots(balancer_->wslot) == 0) {
        error = growth_used_up(cluster, inst);
        return nullptr;
    }
    proxy_worker* w = define_in_slot(inst, url, error);
    if (!w) return nullptr;
    index_.add_from(balancer_);
    if (index_.find(listener) != w) {
        error = add_failed(inst, url, "mod_proxy named the worker so that mod_zdu cannot bind it");
        return nullptr;
    }
    GrowthUsage u = growth_usage(balancer_);
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, server_,
                 ZDU_LOG_WORKER_ADDED
                 "cluster %s: instance %s gets worker %s in slot %d of %s (%d of %d slots used)",
                 cluster.name.c_str(), inst.name.c_str(), url.c_str(), w->s->index,
                 balancer_->s->name, u.used, u.total);
    return w;
}

// Defines the worker in this process, puts it in a free slot of the balancer's slotmem and
// initialises it, then moves the balancer's stamp so that other children sync. Under
// BalancerLock. On failure nothing stays behind in the balancer's local worker list.
proxy_worker* WorkerProvisioner::define_in_slot(const config::Instance& inst,
                                                const std::string& url, std::string& error) {
    proxy_balancer* b = balancer_;
    const int listed = b->workers->nelts;
    const apr_time_t stamp = b->wupdated;
    auto undo = [&](const char* what) {
        b->workers->nelts = listed;  // ap_proxy_define_worker pushed it
        b->wupdated = stamp;         // and moved the local stamp
        error = add_failed(inst, url, what);
        return nullptr;
    };
    proxy_worker* w = nullptr;
    if (const char* err = ap_proxy_define_worker(conf_->pool, &w, b, conf_, url.c_str(), 0)) {
        return undo(err);
    }
    apply_worker_settings(w, settings_);
    unsigned int slot = 0;
    proxy_worker_shared* shm = nullptr;
    if (b->storage->grab(b->wslot, &slot) != APR_SUCCESS) return undo("no free slot");
    if (b->storage->dptr(b->wslot, slot, reinterpret_cast<void**>(&shm)) != APR_SUCCESS ||
        ap_proxy_share_worker(w, shm, static_cast<int>(slot)) != APR_SUCCESS) {
        b->storage->release(b->wslot, slot);
        return undo("cannot put it in shared memory");
    }
    // From here the slot is the worker's: it stays even if initialising fails, as with
    // balancer-manager; mod_proxy initialises a worker again when it is first used.
    if (ap_proxy_initialize_worker(w, server_, conf_->pool) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, server_,
                     ZDU_LOG_WORKER_ADD_FAILED
                     "worker %s: initialising failed; mod_proxy retries "
                     "when it is first used",
                     url.c_str());
    }
    w->s->updated = apr_time_now();
    bump_wupdated(b);
    return w;
}

proxy_worker* provide_worker(proxy_balancer* balancer, server_rec* s,
                             const config::Cluster& cluster, const config::Instance& inst,
                             const config::Settings& settings, std::string& error) {
    WorkerProvisioner provisioner(balancer, s, settings);
    return provisioner.provide(cluster, inst, error);
}

}  // namespace zdu::glue
