#include "proxy_hooks.hpp"

#include <cstring>

#include "log_ids.hpp"
#include "proxy_headers.hpp"
#include "request_context.hpp"
#include "response_filter.hpp"
#include "time_ms.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

APR_OPTIONAL_FN_TYPE(ap_proxy_retry_worker)* retry_worker = nullptr;

// Usable in mod_proxy's eyes (shared worker status), giving an errored worker its retry once
// its retry interval has passed.
bool usable(const InstanceRuntime& inst, server_rec* s) {
    proxy_worker* w = inst.worker;
    if (!w) return false;
    if (PROXY_WORKER_IS_USABLE(w)) return true;
    return retry_worker && retry_worker("BALANCER", w, s) == OK;
}

routing::Decision choose(const RequestContext& ctx, request_rec* r) {
    const ClusterRuntime& c = *ctx.cluster;
    const std::int64_t now = now_ms();
    auto sticky_ok = [&](int i) {
        const InstanceRuntime& inst = c.instances[i];
        const config::Instance& cfg = *inst.config;
        return usable(inst, r->server) &&
               now < quiesce_deadline_ms(*ctx.runtime, cfg.enabled,
                                         cfg.disable_timeout_minutes, *inst.record);
    };
    auto takes_new = [&](int i) { return usable(c.instances[i], r->server); };
    return routing::decide(c.routes, ctx.sources, c.record->counter, sticky_ok, takes_new);
}

apr_status_t decrement_busy(void* data) {
    auto* w = static_cast<proxy_worker*>(data);
    __atomic_sub_fetch(&w->s->busy, 1, __ATOMIC_RELAXED);
    return APR_SUCCESS;
}

void mark_busy(request_rec* r, proxy_worker* w) {
    __atomic_add_fetch(&w->s->busy, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&w->s->elected, 1, __ATOMIC_RELAXED);
    apr_pool_cleanup_register(r->pool, w, decrement_busy, apr_pool_cleanup_null);
}

// "balancer://zdu-…/path?args" -> "http://host:port/path?args"
char* backend_url(request_rec* r, const char* balancer_url, const InstanceRuntime& inst) {
    const char* path = std::strstr(balancer_url, "://");
    path = path ? std::strchr(path + 3, '/') : nullptr;
    return apr_pstrcat(r->pool, inst.worker_url.c_str(), path ? path : "/", nullptr);
}

void count(const InstanceRuntime& inst, routing::Decision::Kind kind) {
    inst.record->requests.fetch_add(1, std::memory_order_relaxed);
    if (kind == routing::Decision::Kind::New) {
        inst.record->new_sessions.fetch_add(1, std::memory_order_relaxed);
    } else if (kind == routing::Decision::Kind::Moved) {
        inst.record->failovers.fetch_add(1, std::memory_order_relaxed);
    }
}

void log_decision(request_rec* r, const RequestContext& ctx, const InstanceRuntime& inst) {
    static constexpr const char* kKinds[] = {"sticky", "new", "moved", "none"};
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  ZDU_LOG_ROUTED "cluster %s: %s request to instance %s (%s)",
                  ctx.cluster->config->name.c_str(),
                  kKinds[static_cast<int>(ctx.decision.kind)], inst.config->name.c_str(),
                  inst.worker_url.c_str());
}

}  // namespace

void bind_retry_function() { retry_worker = APR_RETRIEVE_OPTIONAL_FN(ap_proxy_retry_worker); }

int pre_request(proxy_worker** worker, proxy_balancer** balancer, request_rec* r,
                proxy_server_conf*, char** url) {
    RequestContext* ctx = request_context(r);
    if (!ctx || std::strncmp(*url, ctx->cluster->balancer_url.c_str(),
                             ctx->cluster->balancer_url.size()) != 0) {
        return DECLINED;
    }
    ctx->decision = choose(*ctx, r);
    if (ctx->decision.instance < 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      ZDU_LOG_NO_INSTANCE "cluster %s: no instance can take %s",
                      ctx->cluster->config->name.c_str(), r->uri);
        return HTTP_SERVICE_UNAVAILABLE;
    }
    const InstanceRuntime& inst = ctx->cluster->instances[ctx->decision.instance];
    *balancer = ctx->cluster->balancer;
    *worker = inst.worker;
    mark_busy(r, inst.worker);
    count(inst, ctx->decision.kind);
    *url = backend_url(r, *url, inst);
    r->filename = apr_pstrcat(r->pool, "proxy:", *url, nullptr);
    set_backend_headers(r, ctx->cluster->routes.route(ctx->decision.instance).c_str());
    add_response_filter(r, *ctx);
    log_decision(r, *ctx, inst);
    return OK;
}

int post_request(proxy_worker*, proxy_balancer* balancer, request_rec* r, proxy_server_conf*) {
    RequestContext* ctx = request_context(r);
    if (!ctx || balancer != ctx->cluster->balancer) return DECLINED;
    return OK;
}

}  // namespace zdu::glue
