#include "mod_zdu/request/request_end.hpp"

#include "metrics/response_times.hpp"
#include "mod_zdu/request/context.hpp"

namespace zdu::glue {
namespace {

constexpr auto relaxed = std::memory_order_relaxed;

// The context of the request that answered: the last of an internal redirect chain that had
// one (each redirect gets its own request_config).
RequestContext* answering_context(request_rec* r, request_rec*& answered) {
    request_rec* last = r;
    while (last->next) last = last->next;
    for (request_rec* q = last; q; q = q->prev) {
        if (RequestContext* ctx = request_context(q)) {
            answered = last;
            return ctx;
        }
    }
    return nullptr;
}

// The context is zero-filled: its decision means something only once pre_request ran.
bool reached_instance(const RequestContext& ctx) {
    return ctx.attempts > 0 && ctx.decision.instance >= 0;
}

// The chosen instance itself gave the final response: pre_request sent the request there
// (attempt_start is set only then; a stale session is answered before it) and its last attempt
// did not fail on the proxy's side. Not so for our own 503 when no instance could take it, nor
// for a connect failure, timeout or reset, which are the instance's `failures`.
bool instance_answered(const RequestContext& ctx) {
    return reached_instance(ctx) && ctx.attempt_start != 0 && ctx.failure == state::Failure::None;
}

// The request whose response gave `last` its status. An ErrorDocument is an internal redirect
// that keeps the error's status (mod_proxy_http restores it under ProxyErrorOverride even when
// the page itself is proxied and answered 200): the status is the failed request's, not the
// answer of whatever served the page. Our own resend is a new answer.
request_rec* status_origin(request_rec* last) {
    request_rec* q = last;
    while (q->prev && ap_is_HTTP_ERROR(q->prev->status) && q->status == q->prev->status) {
        const RequestContext* earlier = request_context(q->prev);
        if (earlier && earlier->resent) break;
        q = q->prev;
    }
    return q;
}

// Sent elsewhere than its session's instance, or tried on a second one.
bool moved(const RequestContext& ctx) {
    return ctx.attempts > 1 ||
           (ctx.attempts > 0 && ctx.decision.kind == routing::Decision::Kind::Moved);
}

}  // namespace

int note_request_end(request_rec* r) {
    request_rec* answered = nullptr;
    const RequestContext* ctx = answering_context(r, answered);
    if (!ctx || !ctx->web_module) return DECLINED;
    const apr_time_t now = apr_time_now();
    const auto micros =
        static_cast<std::uint64_t>(now > r->request_time ? now - r->request_time : 0);
    state::SharedRecord& wm = *ctx->web_module->record;
    wm.requests.fetch_add(1, relaxed);
    if (answered->status >= 500) wm.failures.fetch_add(1, relaxed);
    if (moved(*ctx)) wm.failovers.fetch_add(1, relaxed);
    metrics::note_answer_time(wm, micros);
    // Not every request reached an instance (a stale session's redirect, none available).
    if (reached_instance(*ctx)) {
        metrics::note_answer_time(*ctx->cluster->instances[ctx->decision.instance].record, micros);
    }
    if (answered->status >= 500) {
        const RequestContext* origin = request_context(status_origin(answered));
        if (origin && instance_answered(*origin)) {
            origin->cluster->instances[origin->decision.instance].record->responses_5xx.fetch_add(
                1, relaxed);
        }
    }
    return DECLINED;
}

}  // namespace zdu::glue
