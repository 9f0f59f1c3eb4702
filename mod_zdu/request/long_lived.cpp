#include "mod_zdu/request/long_lived.hpp"

#include <atomic>

namespace zdu::glue {
namespace {

apr_status_t release(void* data) {
    static_cast<state::SharedRecord*>(data)->long_lived.fetch_sub(1, std::memory_order_relaxed);
    return APR_SUCCESS;
}

// Records are never freed, so the pointer outlives any reload the request sees.
void count(request_rec* r, RequestContext& ctx) {
    if (ctx.long_lived || ctx.decision.instance < 0) return;
    ctx.long_lived = true;
    state::SharedRecord* record = ctx.cluster->instances[ctx.decision.instance].record;
    record->long_lived.fetch_add(1, std::memory_order_relaxed);
    apr_pool_cleanup_register(r->pool, record, release, apr_pool_cleanup_null);
}

}  // namespace

void note_upgrade_request(request_rec* r, RequestContext& ctx) {
    if (apr_table_get(r->headers_in, "Upgrade")) count(r, ctx);
}

void note_event_stream(request_rec* r, RequestContext& ctx) {
    const char* type = r->content_type;
    if (!type) return;
    // Most types differ within "text/e" ("text/html"): told apart inline. A NUL ORed with 0x20
    // is a space, which matches none of these, so a short type stops the loop in time.
    static constexpr char kPrefix[] = "text/e";
    for (int k = 0; k < 6; ++k) {
        if ((type[k] | 0x20) != kPrefix[k]) return;
    }
    if (ap_cstr_casecmpn(type, "text/event-stream", 17) == 0) count(r, ctx);
}

}  // namespace zdu::glue
