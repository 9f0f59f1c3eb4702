#include "mod_zdu/reload/child_switch.hpp"

#include <unistd.h>

#include <atomic>
#include <ctime>
#include <new>
#include <stdexcept>

#include "config/loader.hpp"
#include "config/retained.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "state/record_keys.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

// A generation this child could not build: not tried again on every request (it is logged
// once); the next generation is.
std::atomic<std::uint64_t> failed_generation{0};

struct PoolOwner {
    apr_pool_t* pool = nullptr;
    PoolOwner() { apr_pool_create_unmanaged_ex(&pool, nullptr, nullptr); }
    ~PoolOwner() {
        if (pool) apr_pool_destroy(pool);
    }
    apr_pool_t* release() { return std::exchange(pool, nullptr); }
};

void mark_removed(Runtime& rt, const std::vector<config::RetainedInstance>& kept) {
    for (ClusterRuntime& c : rt.clusters) {
        for (InstanceRuntime& inst : c.instances) {
            for (const auto& r : kept) {
                if (r.cluster == c.config->name && r.instance.name == inst.config->name)
                    inst.removed = true;
            }
        }
    }
}

// This thread's CPU time: what a switch costs, apart from waiting for a core on a busy host.
double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

void switch_locked(server_rec* s, std::uint64_t generation) {
    const ModuleState& st = module_state();
    std::optional<state::PublishedConfig> published = st.block->config().read();
    if (!published || published->generation == serving_generation()) return;
    // Every slot held by requests of older generations: try at a later request, not build now.
    if (!can_install()) return;
    apr_time_t start = apr_time_now();
    double cpu_start = thread_cpu_ms();
    try {
        if (!install(build_snapshot(*published, s))) return;  // all slots pinned: later
    } catch (const std::exception& e) {
        failed_generation.store(generation);
        ap_log_error(
            APLOG_MARK, APLOG_ERR, 0, s,
            ZDU_LOG_SWITCH_FAILED "child %ld cannot switch to generation %" APR_UINT64_T_FMT
                                  ", still serving %" APR_UINT64_T_FMT ": %s",
            static_cast<long>(getpid()), published->generation, serving_generation(), e.what());
        return;
    }
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s,
                 ZDU_LOG_SWITCHED "child %ld switched to generation %" APR_UINT64_T_FMT
                                  " in %.1f ms (%.1f ms CPU)",
                 static_cast<long>(getpid()), published->generation,
                 (apr_time_now() - start) / 1000.0, thread_cpu_ms() - cpu_start);
}

}  // namespace

std::mutex& switch_mutex() {
    alignas(std::mutex) static unsigned char storage[sizeof(std::mutex)];
    static std::mutex* const m = new (storage) std::mutex();
    return *m;
}

config::ConfigPtr published_model(const state::PublishedConfig& published, std::string& error) {
    const ModuleState& st = module_state();
    config::LoadResult loaded = config::load_string(published.file, st.config_file);
    if (!loaded.ok()) {
        error = "the published config does not load";
        for (const auto& d : loaded.diagnostics) error += "; " + d.text();
        return nullptr;
    }
    auto kept = config::parse_retained(published.retained);
    if (kept.empty()) return loaded.config;
    return std::make_shared<const config::LoadBalancer>(
        config::with_retained(*loaded.config, kept));
}

Snapshot build_snapshot(const state::PublishedConfig& published, server_rec* s) {
    std::string error;
    config::ConfigPtr model = published_model(published, error);
    if (!model) throw std::runtime_error(error);
    PoolOwner pool;
    state::SharedTable table = module_state().block->records();
    Snapshot snap;
    snap.owned = build_runtime(model, table, s, pool.pool, BuildMode::Reload);
    mark_removed(*snap.owned, config::parse_retained(published.retained));
    snap.runtime = snap.owned.get();
    snap.pool.reset(pool.release());
    snap.generation = published.generation;
    snap.hash = published.hash;
    snap.loaded_ms = published.loaded_ms;
    return snap;
}

void follow_published(server_rec* s) {
    const ModuleState& st = module_state();
    if (!st.block) return;
    state::ConfigRegion region = st.block->config();
    std::uint64_t generation = region.generation();
    if (generation == serving_generation() || generation == failed_generation.load()) return;
    // A graceful restart published from the file for a new generation of children; this one
    // is of the old and on its way out, with the old balancers.
    if (region.pass_generation() != pass_generation()) return;
    // A request that starts after the generation moved must run on it, never on the config it
    // replaces: while one thread builds the snapshot, the child's other new requests wait for it
    // (a few ms, once per reload); switch_locked finds the work done and returns.
    // Every slot held by requests of older generations (long-lived ones across many reloads):
    // nothing could be installed, so neither wait for the mutex nor copy the config.
    if (!can_install()) return;
    std::lock_guard<std::mutex> lock(switch_mutex());
    switch_locked(s, generation);
}

}  // namespace zdu::glue
