#include "mod_zdu/request/proxy_hooks.hpp"

#include <cstring>

#include "mod_zdu/config/version_plan.hpp"
#include "mod_zdu/config/worker_provisioning.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/request/context.hpp"
#include "mod_zdu/request/error_response.hpp"
#include "mod_zdu/request/instance_probe.hpp"
#include "mod_zdu/request/long_lived.hpp"
#include "mod_zdu/request/passive_failure.hpp"
#include "mod_zdu/request/pin_cookie.hpp"
#include "mod_zdu/request/pool_string.hpp"
#include "mod_zdu/request/response_filter.hpp"
#include "mod_zdu/request/session_tracking.hpp"
#include "mod_zdu/request/stale_session.hpp"
#include "mod_zdu/request/worker_busy.hpp"
#include "routing/failure_class.hpp"
#include "state/instance_health.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

routing::InstanceLoad load_of(const InstanceRuntime& inst) {
    return {inst.worker ? busy_of(inst.worker) : 0,
            inst.record->response_time_us.load(std::memory_order_relaxed), inst.config->weight};
}

routing::PolicyRequest policy_request(const RequestContext& ctx, request_rec* r) {
    return {r->method, r->uri, r->useragent_ip ? r->useragent_ip : "", ctx.sources.session_id};
}

routing::RouteInputs route_inputs(RequestContext& ctx) {
    routing::RouteInputs in;
    in.session.home = ctx.table_home;
    in.session.ended = ctx.binding.found == sessions::Found::Ended;
    in.session.has_session_id = !ctx.sources.session_id.empty();
    in.side_door.instance = ctx.side_door_instance;
    in.side_door.version = ctx.side_door_version;
    in.canary_draws = &ctx.cluster->record->canary_draws;
    in.stale_failover =
        ctx.web_module->config->stale_session == config::WebModule::StaleSession::Failover;
    in.consistent_failover = ctx.runtime->settings.preferred_failover_instance;
    return in;
}

routing::Decision choose(RequestContext& ctx, request_rec* r, apr_time_t now) {
    const ClusterRuntime& c = *ctx.cluster;
    InstanceProbe probe(*ctx.runtime, c, r->server, apr_time_as_msec(now), ctx.tried);
    auto serves = [&](int i) { return probe.serves(i); };
    auto takes = [&](int i) { return probe.takes(i); };
    auto usable = [&](int i) { return probe.usable(i); };
    auto retired = [&](int i) { return probe.retired(i); };
    routing::InstanceView view{serves, takes, usable, retired};
    routing::RouteInputs in = route_inputs(ctx);
    // The manager's version overrides, read once so one decision sees one plan.
    const routing::VersionPlan plan = effective_plan(c);
    in.plan = &plan;
    // Checked only when a session starts and the request carries a pin.
    if (!ctx.sources.pin.empty() && plan.canary_on()) {
        in.pinned_version =
            ctx.binding.found == sessions::Found::Live ? -1 : pinned_version(r, ctx);
    }
    routing::Decision d;
    if (!c.policy) {
        d = routing::decide(c.routes, ctx.sources, in, view, c.record->counter);
    } else {
        auto load = [&](int i) { return load_of(c.instances[i]); };
        routing::PolicyRequest request = policy_request(ctx, r);
        auto pick = [&](int, routing::FunctionRef<bool(int)> ok, std::uint64_t) {
            return c.policy->pick(c.routes, request, ok, load);
        };
        d = routing::decide_with(c.routes, ctx.sources, in, view, pick);
    }
    // stale-session="failover" moved a session whose home is retired: a stale session all the
    // same, counted once per client request.
    if (in.stale_failover && ctx.attempts == 1 && d.kind == routing::Decision::Kind::Moved) {
        const int home = ctx.table_home >= 0 ? ctx.table_home : d.named;
        if (ctx.home_gone || (home >= 0 && probe.retired(home))) {
            c.record->stale_sessions.fetch_add(1, std::memory_order_relaxed);
        }
    }
    return d;
}

// "balancer://zdu-…/path?args" -> r->filename "proxy:http://host:port/path?args"; returns the
// URL part of it (one allocation for both). `path` follows the balancer's name in the URL.
char* point_at_instance(request_rec* r, const char* path, const InstanceRuntime& inst) {
    static constexpr std::size_t kPrefix = sizeof("proxy:") - 1;
    r->filename = pool_concat(r->pool, {"proxy:", inst.worker_url, *path ? path : "/"});
    return r->filename + kPrefix;
}

// The URL is one of this cluster's balancer (what translate_name set, or its internal
// redirect's): its name then the path, or nothing. Returns the path, or null.
const char* our_balancer_path(const RequestContext& ctx, const char* url) {
    const std::string& name = ctx.cluster->balancer_url;
    if (std::strncmp(url, name.c_str(), name.size()) != 0) return nullptr;
    const char* path = url + name.size();
    return *path == '/' || *path == '\0' ? path : nullptr;
}

void count(const RequestContext& ctx, const InstanceRuntime& inst, routing::Decision::Kind kind) {
    inst.record->requests.fetch_add(1, std::memory_order_relaxed);
    if (kind == routing::Decision::Kind::New) {
        inst.record->new_sessions.fetch_add(1, std::memory_order_relaxed);
        // Given a new session by routing (not through the side door): in service, so it is
        // drained, reported and handed to ZduDrainedCommand when it retires. Read first: one
        // write per instance, not per request.
        auto& in_service = inst.record->in_service;
        if (ctx.side_door_instance < 0 && ctx.side_door_version < 0 &&
            in_service.load(std::memory_order_relaxed) == 0) {
            in_service.store(1, std::memory_order_relaxed);
        }
    } else if (kind == routing::Decision::Kind::Moved) {
        inst.record->failovers.fetch_add(1, std::memory_order_relaxed);
    }
}

void log_decision(request_rec* r, const RequestContext& ctx, const InstanceRuntime& inst) {
    static constexpr const char* kKinds[] = {"sticky", "new", "moved", "none", "stale"};
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  ZDU_LOG_ROUTED "cluster %s: %s request to instance %s (%s), attempt %d",
                  ctx.cluster->config->name.c_str(), kKinds[static_cast<int>(ctx.decision.kind)],
                  inst.config->name.c_str(), inst.worker_url.c_str(), ctx.attempts);
}

bool stale(const RequestContext& ctx) {
    if (ctx.decision.kind == routing::Decision::Kind::Stale) return true;
    return ctx.home_gone && ctx.attempts == 1 &&
           ctx.web_module->config->stale_session != config::WebModule::StaleSession::Failover;
}

// For LogFormat: %{zdu-instance}n and %{zdu-version}n. The strings live in the runtime this
// request has pinned until its pool goes, after the log hook ran.
// The first attempt adds (the request's notes cannot hold them yet: an internal redirect has
// notes of its own), a retry replaces.
void set_request_notes(request_rec* r, const RequestContext& ctx, const InstanceRuntime& inst) {
    auto set = ctx.attempts == 1 ? apr_table_addn : apr_table_setn;
    set(r->notes, "zdu-instance", inst.config->name.c_str());
    set(r->notes, "zdu-version", inst.config->version.c_str());
}

const InstanceRuntime* chosen_instance(const RequestContext& ctx) {
    int i = ctx.decision.instance;
    return i >= 0 ? &ctx.cluster->instances[i] : nullptr;
}

// The chosen instance failed this request: counted, and not chosen again for it.
void record_failure(request_rec* r, RequestContext& ctx, state::Failure why) {
    if (!ctx.tried) {
        ctx.tried =
            static_cast<unsigned char*>(apr_pcalloc(r->pool, ctx.cluster->instances.size()));
    }
    ctx.tried[ctx.decision.instance] = 1;
    ctx.failure = why;
    note_attempt_failure(r, ctx, *chosen_instance(ctx), why);
}

// mod_proxy calls pre_request again after a connect failure: the instance just tried failed.
bool retry_refused(request_rec* r, RequestContext& ctx) {
    const InstanceRuntime* failed = chosen_instance(ctx);
    if (failed) {
        record_failure(r, ctx, state::Failure::Connect);
        ctx.failure_noted = true;  // post_request sees this attempt again if we refuse
        release_busy(r, failed->worker);
    }
    if (!spend_retry(ctx, r, state::Failure::Connect)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      ZDU_LOG_NOT_RETRIED "%s %s not retried (%d of %d retries done)", r->method,
                      r->uri, ctx.retries.spent(), ctx.retries.limit(state::Failure::Connect));
        return true;
    }
    if (failed) failed->record->retries.fetch_add(1, std::memory_order_relaxed);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, ZDU_LOG_RETRY "retrying %s %s after %s failed",
                  r->method, r->uri, failed ? failed->config->name.c_str() : "?");
    return false;
}

routing::AttemptFacts attempt_facts(const RequestContext& ctx, proxy_worker* worker,
                                    request_rec* r) {
    routing::AttemptFacts facts;
    // mod_proxy_http notes a timeout only when no status line came: an attempt whose response
    // went out did not time out, whatever an earlier attempt of this request left in r->notes.
    facts.timed_out =
        ctx.response_start == 0 && apr_table_get(r->notes, "proxy_timedout") != nullptr;
    facts.worker_in_error =
        (__atomic_load_n(&worker->s->status, __ATOMIC_ACQUIRE) & PROXY_WORKER_IN_ERROR) != 0;
    facts.status = r->status;
    // Only a 503 asks (routing/failure_class.hpp): no lookup for the usual answer.
    facts.error_notes = facts.status == 503 && apr_table_get(r->notes, "error-notes") != nullptr;
    // The ZDU_RESPONSE filter saw this attempt's response headers go out.
    facts.answered =
        ctx.response_start != 0 || apr_table_get(r->notes, "proxy-error-override") != nullptr;
    return facts;
}

// From sending the request to the response headers going out: a slow client reading the body
// must not make the instance look slow to the adaptive policy.
void note_response_time(const RequestContext& ctx, const InstanceRuntime& inst) {
    const apr_time_t end = ctx.response_start ? ctx.response_start : apr_time_now();
    if (end <= ctx.attempt_start) return;
    state::note_response_time(*inst.record, static_cast<std::uint64_t>(end - ctx.attempt_start));
}

void log_timeout_not_retried(request_rec* r, const RequestContext& ctx) {
    const InstanceRuntime* inst = chosen_instance(ctx);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  ZDU_LOG_TIMEOUT_NOT_RETRIED
                  "%s %s: response timeout on instance %s, answered 504 (%d of %d retries after "
                  "a timeout spent; only idempotent-url-patterns have any)",
                  r->method, r->uri, inst ? inst->config->name.c_str() : "?", ctx.retries.spent(),
                  ctx.retries.limit(state::Failure::Timeout));
}

}  // namespace

int pre_request(proxy_worker** worker, proxy_balancer** balancer, request_rec* r,
                proxy_server_conf* conf, char** url) {
    RequestContext* ctx = request_context(r);
    const char* path = ctx ? our_balancer_path(*ctx, *url) : nullptr;
    if (!path) return DECLINED;
    // mod_proxy_balancer picks up workers other children added in its own pre_request, which
    // this one pre-empts for our balancers.
    sync_balancer_if_updated(ctx->cluster->balancer, r->server, conf);
    if (++ctx->attempts > 1 && retry_refused(r, *ctx)) return HTTP_SERVICE_UNAVAILABLE;
    const apr_time_t now = apr_time_now();
    ctx->decision = choose(*ctx, r, now);
    if (stale(*ctx)) return answer_stale_session(r, *ctx);
    const InstanceRuntime* inst = chosen_instance(*ctx);
    if (!inst) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      ZDU_LOG_NO_INSTANCE "cluster %s: no instance can take %s",
                      ctx->cluster->config->name.c_str(), r->uri);
        return HTTP_SERVICE_UNAVAILABLE;
    }
    ctx->failure_noted = false;
    ctx->attempt_start = now;
    ctx->response_start = 0;
    *balancer = ctx->cluster->balancer;
    *worker = inst->worker;
    mark_busy(r, inst->worker);
    count(*ctx, *inst, ctx->decision.kind);
    note_routed_session(r, *ctx);
    note_upgrade_request(r, *ctx);
    set_request_notes(r, *ctx, *inst);
    *url = point_at_instance(r, path, *inst);
    add_response_filter(r, *ctx);
    log_decision(r, *ctx, *inst);
    return OK;
}

int post_request(proxy_worker* worker, proxy_balancer* balancer, request_rec* r,
                 proxy_server_conf*) {
    RequestContext* ctx = request_context(r);
    if (!ctx || balancer != ctx->cluster->balancer) return DECLINED;
    const InstanceRuntime* inst = chosen_instance(*ctx);
    if (!inst || worker != inst->worker || ctx->failure_noted) return OK;
    const state::Failure why = routing::classify(attempt_facts(*ctx, worker, r));
    if (why != state::Failure::None) {
        record_failure(r, *ctx, why);
        return OK;
    }
    ctx->failure = why;
    note_attempt_success(r, *ctx, *inst);
    note_response_time(*ctx, *inst);
    return OK;
}

int request_status(int* status, request_rec* r) {
    RequestContext* ctx = request_context(r);
    if (!ctx || *status == OK || *status == DONE) return DECLINED;
    if (retry_as_redirect(r, *ctx, *status)) {
        *status = OK;
        return OK;
    }
    if (ctx->failure == state::Failure::Timeout) log_timeout_not_retried(r, *ctx);
    *status = apply_error_url(r, *ctx->web_module, routing::client_status(ctx->failure, *status));
    return OK;
}

int canon_handler(request_rec* r, char* url) {
    const RequestContext* ctx = request_context(r);
    return ctx && our_balancer_path(*ctx, url) ? OK : DECLINED;
}

void note_response_started(request_rec* r) {
    RequestContext* ctx = request_context(r);
    if (ctx && ctx->response_start == 0) ctx->response_start = apr_time_now();
}

}  // namespace zdu::glue
