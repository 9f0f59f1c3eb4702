#include "mod_zdu/request/worker_busy.hpp"

namespace zdu::glue {
namespace {

apr_status_t decrement_busy(void* data) {
    auto* w = static_cast<proxy_worker*>(data);
    apr_size_t busy = __atomic_load_n(&w->s->busy, __ATOMIC_RELAXED);
    // A failed compare-and-swap reloads `busy`; at zero there is nothing left to count down
    // (another module may have reset it).
    while (busy > 0 && !__atomic_compare_exchange_n(&w->s->busy, &busy, busy - 1, true,
                                                    __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
    return APR_SUCCESS;
}

}  // namespace

apr_size_t busy_of(const proxy_worker* w) {
    return __atomic_load_n(&w->s->busy, __ATOMIC_RELAXED);
}

void mark_busy(request_rec* r, proxy_worker* w) {
    __atomic_add_fetch(&w->s->busy, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&w->s->elected, 1, __ATOMIC_RELAXED);
    apr_pool_cleanup_register(r->pool, w, decrement_busy, apr_pool_cleanup_null);
}

void release_busy(request_rec* r, proxy_worker* w) {
    // Runs the cleanup mark_busy() registered and removes it, so it counts down once.
    apr_pool_cleanup_run(r->pool, w, decrement_busy);
}

}  // namespace zdu::glue
