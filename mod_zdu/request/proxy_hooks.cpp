#include "mod_zdu/request/proxy_hooks.hpp"

#include <cstring>

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/request/context.hpp"
#include "mod_zdu/request/error_response.hpp"
#include "mod_zdu/request/instance_probe.hpp"
#include "mod_zdu/request/response_filter.hpp"
#include "mod_zdu/time_ms.hpp"
#include "routing/retry_policy.hpp"
#include "state/instance_health.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

routing::InstanceLoad load_of(const InstanceRuntime& inst) {
    return {inst.worker ? inst.worker->s->busy : 0,
            inst.record->response_time_us.load(std::memory_order_relaxed), inst.config->weight};
}

routing::PolicyRequest policy_request(const RequestContext& ctx, request_rec* r) {
    return {r->method, r->uri, r->useragent_ip ? r->useragent_ip : "", ctx.sources.session_id};
}

routing::Decision choose(const RequestContext& ctx, request_rec* r) {
    const ClusterRuntime& c = *ctx.cluster;
    InstanceProbe probe(*ctx.runtime, c, r->server, now_ms());
    auto serves = [&](int i) { return probe.serves(i); };
    auto takes = [&](int i) { return probe.takes(i); };
    bool consistent = ctx.runtime->settings.preferred_failover_instance;
    if (!c.policy) {
        return routing::decide(c.routes, ctx.sources, c.record->counter, serves, takes, consistent);
    }
    auto load = [&](int i) { return load_of(c.instances[i]); };
    routing::PolicyRequest request = policy_request(ctx, r);
    auto pick = [&] { return c.policy->pick(c.routes, request, takes, load); };
    return routing::decide_with(c.routes, ctx.sources, serves, takes, pick, consistent);
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

// "balancer://zdu-…/path?args" -> r->filename "proxy:http://host:port/path?args"; returns the
// URL part of it (one allocation for both).
char* point_at_instance(request_rec* r, const char* balancer_url, const InstanceRuntime& inst) {
    static constexpr std::size_t kPrefix = sizeof("proxy:") - 1;
    const char* path = std::strstr(balancer_url, "://");
    path = path ? std::strchr(path + 3, '/') : nullptr;
    r->filename =
        apr_pstrcat(r->pool, "proxy:", inst.worker_url.c_str(), path ? path : "/", nullptr);
    return r->filename + kPrefix;
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
                  ZDU_LOG_ROUTED "cluster %s: %s request to instance %s (%s), attempt %d",
                  ctx.cluster->config->name.c_str(), kKinds[static_cast<int>(ctx.decision.kind)],
                  inst.config->name.c_str(), inst.worker_url.c_str(), ctx.attempts);
}

const InstanceRuntime* chosen_instance(const RequestContext& ctx) {
    int i = ctx.decision.instance;
    return i >= 0 ? &ctx.cluster->instances[i] : nullptr;
}

// Marks the instance unhealthy for every process; the first to notice logs it.
void note_failure(request_rec* r, const RequestContext& ctx, const InstanceRuntime& inst,
                  state::Failure why) {
    if (!state::mark_unhealthy(*inst.record, why, now_ms())) return;
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                  ZDU_LOG_INSTANCE_UNHEALTHY "cluster %s instance %s listener %s is unhealthy: %s",
                  ctx.cluster->config->name.c_str(), inst.config->name.c_str(),
                  inst.worker_url.c_str(), state::failure_name(why).data());
}

int retries_done(const RequestContext& ctx) {
    return ctx.prior_retries + ctx.attempts - 1;
}

// mod_proxy calls pre_request again after a connect failure: the instance just tried is down.
bool retry_refused(request_rec* r, RequestContext& ctx) {
    const InstanceRuntime* failed = chosen_instance(ctx);
    if (failed) note_failure(r, ctx, *failed, state::Failure::Connect);
    if (!may_retry(ctx, r, retries_done(ctx) - 1)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      ZDU_LOG_NOT_RETRIED "%s %s not retried (%d of %d retries done)", r->method,
                      r->uri, retries_done(ctx) - 1, ctx.retry_limit);
        return true;
    }
    if (failed) failed->record->retries.fetch_add(1, std::memory_order_relaxed);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, ZDU_LOG_RETRY "retrying %s %s after %s failed",
                  r->method, r->uri, failed ? failed->config->name.c_str() : "?");
    return false;
}

state::Failure failure_of(proxy_worker* worker, request_rec* r) {
    if (apr_table_get(r->notes, "proxy_timedout")) return state::Failure::Timeout;
    if (worker->s->status & PROXY_WORKER_IN_ERROR) return state::Failure::Connect;
    // ap_proxyerror() leaves error-notes: the 5xx came from the proxy, not from the app.
    if (r->status >= HTTP_INTERNAL_SERVER_ERROR && apr_table_get(r->notes, "error-notes")) {
        return state::Failure::Reset;
    }
    return state::Failure::None;
}

}  // namespace

int pre_request(proxy_worker** worker, proxy_balancer** balancer, request_rec* r,
                proxy_server_conf*, char** url) {
    RequestContext* ctx = request_context(r);
    if (!ctx || std::strncmp(*url, ctx->cluster->balancer_url.c_str(),
                             ctx->cluster->balancer_url.size()) != 0) {
        return DECLINED;
    }
    if (++ctx->attempts > 1 && retry_refused(r, *ctx)) return HTTP_SERVICE_UNAVAILABLE;
    ctx->decision = choose(*ctx, r);
    const InstanceRuntime* inst = chosen_instance(*ctx);
    if (!inst) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      ZDU_LOG_NO_INSTANCE "cluster %s: no instance can take %s",
                      ctx->cluster->config->name.c_str(), r->uri);
        return HTTP_SERVICE_UNAVAILABLE;
    }
    *balancer = ctx->cluster->balancer;
    *worker = inst->worker;
    mark_busy(r, inst->worker);
    count(*inst, ctx->decision.kind);
    *url = point_at_instance(r, *url, *inst);
    add_response_filter(r, *ctx);
    log_decision(r, *ctx, *inst);
    return OK;
}

int post_request(proxy_worker* worker, proxy_balancer* balancer, request_rec* r,
                 proxy_server_conf*) {
    RequestContext* ctx = request_context(r);
    if (!ctx || balancer != ctx->cluster->balancer) return DECLINED;
    const InstanceRuntime* inst = chosen_instance(*ctx);
    if (!inst || worker != inst->worker) return OK;
    state::Failure why = failure_of(worker, r);
    if (why != state::Failure::None && !(worker->s->status & PROXY_WORKER_IN_ERROR)) {
        // mod_proxy only errors a worker on connect failures; for timeouts and resets too, so
        // that without an active checker its retry interval holds the instance out.
        worker->s->error_time = apr_time_now();
        __atomic_or_fetch(&worker->s->status, PROXY_WORKER_IN_ERROR, __ATOMIC_RELAXED);
    }
    if (why != state::Failure::None) {
        note_failure(r, *ctx, *inst, why);
    } else {
        state::note_response_time(*inst->record,
                                  static_cast<std::uint64_t>(apr_time_now() - r->request_time));
    }
    return OK;
}

int request_status(int* status, request_rec* r) {
    RequestContext* ctx = request_context(r);
    if (!ctx || *status == OK || *status == DONE) return DECLINED;
    if (retry_as_redirect(r, *ctx, *status)) {
        *status = OK;
        return OK;
    }
    *status = apply_error_url(r, *ctx->web_module, *status);
    return OK;
}

}  // namespace zdu::glue
