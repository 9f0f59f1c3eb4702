#include "mod_zdu/request/translate.hpp"

#include <cstring>

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/reload/child_switch.hpp"
#include "mod_zdu/reload/snapshot.hpp"
#include "mod_zdu/request/context.hpp"
#include "mod_zdu/request/error_response.hpp"
#include "mod_zdu/request/pool_string.hpp"
#include "mod_zdu/request/proxy_headers.hpp"
#include "mod_zdu/request/request_headers.hpp"
#include "mod_zdu/request/session_tracking.hpp"
#include "mod_zdu/request/side_door.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/time_ms.hpp"
#include "routing/dot_segments.hpp"
#include "routing/path_encoding.hpp"
#include "state/instance_health.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

// A disabled web-module answers new requests, and all requests once its quiesce timeout has
// passed, with its error-url (a redirect) or 503.
int web_module_unavailable(request_rec* r, const WebModuleRuntime& wm) {
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  ZDU_LOG_MODULE_DISABLED "web-module %s is disabled; refusing %s",
                  wm.config->context_root.c_str(), r->uri);
    return apply_error_url(r, wm, HTTP_SERVICE_UNAVAILABLE);
}

// The xml's enabled="false" and the manager's disable-web-module refuse alike; the manager's
// quiesce clock runs from when it disabled the web-module. The clock is read only then.
bool disabled_module_refuses(const RequestContext& ctx) {
    const WebModuleRuntime& wm = *ctx.web_module;
    const bool by_manager = state::admin_state(*wm.record) != state::AdminState::Active;
    if (wm.config->enabled && !by_manager) return false;
    const std::int64_t now = now_ms();
    if (ctx.table_home < 0 && routing::named_instance(ctx.cluster->routes, ctx.sources) < 0)
        return true;
    const int minutes = wm.config->disable_timeout_minutes;
    if (!wm.config->enabled) {
        return now >= quiesce_deadline_ms(*ctx.runtime, false, minutes, *wm.record);
    }
    return now >= wm.record->admin_since_ms.load(std::memory_order_relaxed) +
                      ctx.runtime->minutes_ms(minutes);
}

RequestContext* make_context(request_rec* r, const Runtime& rt, const WebModuleRuntime& wm,
                             const RequestHeaders& headers) {
    auto* ctx = static_cast<RequestContext*>(apr_pcalloc(r->pool, sizeof(RequestContext)));
    ctx->runtime = &rt;
    ctx->web_module = &wm;
    ctx->cluster = &rt.clusters[wm.cluster];
    const char* cookies = headers.cookie;
    ctx->sources =
        routing::find_route_sources(cookies ? cookies : "", r->uri, ctx->cluster->session_cookie);
    ctx->tls = ap_ssl_conn_is_ssl(r->connection);
    ctx->pinned_version = -1;
    look_up_session(r, *ctx);
    open_side_door(r, *ctx, headers.side_version, headers.side_instance);
    // After the side door: our resend carries the earlier request's choice over.
    carry_over_retries(r, *ctx);
    return ctx;
}

// "/app/..;/admin" would reach "/admin" on a servlet container: refused before it is routed.
int refuse_dot_segment(request_rec* r) {
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  ZDU_LOG_DOT_SEGMENT
                  "refusing %s: a path segment is . or .. once its ;parameters are removed",
                  r->uri);
    return HTTP_BAD_REQUEST;
}

// With AllowEncodedSlashes NoDecode, r->uri still holds "%2F": it must reach the backend as
// "%2F", not "%252F", and any other '%' in it is a literal one (routing/path_encoding.hpp).
const char* encoded_path(request_rec* r) {
    auto* d = static_cast<core_dir_config*>(ap_get_core_module_config(r->per_dir_config));
    const std::size_t len = std::strlen(r->uri);
    // Most paths need no escape: forwarded as they are, no copy (r->uri lives in r->pool).
    if (routing::path_is_plain({r->uri, len})) return r->uri;
    if (!d->allow_encoded_slashes || d->decode_encoded_slashes) {
        return ap_proxy_canonenc_ex(r->pool, r->uri, static_cast<int>(len), enc_path, 0,
                                    PROXYREQ_REVERSE);
    }
    auto* path = static_cast<char*>(apr_palloc(r->pool, 3 * len + 1));
    path[routing::encode_path_keeping_encoded_slashes({r->uri, len}, path)] = '\0';
    return path;
}

// A <Location> (walked before translate_name) that names its own handler, such as the manager
// or server-status under the "/" catch-all, is served by httpd: never routed nor refused.
// "SetHandler None" names none. The value is what core's type checker will find.
bool local_handler(request_rec* r) {
    auto* d = static_cast<core_dir_config*>(ap_get_core_module_config(r->per_dir_config));
    if (!d->expr_handler) return d->handler && ap_cstr_casecmp(d->handler, "none") != 0;
    const char* err = nullptr;
    const char* handler = ap_expr_str_exec(r, d->expr_handler, &err);
    return err || (handler && ap_cstr_casecmp(handler, "none") != 0);
}

// Hands the request to mod_proxy with our balancer. The path is encoded here, from the decoded
// r->uri the dot-segment check saw; mod_proxy_balancer's canon handler keeps it as is (httpd
// 2.4.62 and later), and our pre_request hook takes it from there.
int hand_to_proxy(request_rec* r, const ClusterRuntime& cluster) {
    const char* path = encoded_path(r);
    if (!path) return HTTP_BAD_REQUEST;
    r->filename = r->args
                      ? pool_concat(r->pool, {"proxy:", cluster.balancer_url, path, "?", r->args})
                      : pool_concat(r->pool, {"proxy:", cluster.balancer_url, path});
    r->handler = "proxy-server";
    r->proxyreq = PROXYREQ_REVERSE;
    return OK;
}

// An internal redirect of a request we routed (our resend, or an ErrorDocument) shares its
// pool, so the snapshot the first request pinned is still held: it stays on that one, and a
// reload in between never gives one client request two configs.
const Runtime* redirected_from(const request_rec* r) {
    for (const request_rec* prev = r->prev; prev; prev = prev->prev) {
        const auto* earlier = static_cast<const RequestContext*>(
            ap_get_module_config(prev->request_config, &zdu_module));
        if (earlier) return earlier->runtime;
    }
    return nullptr;
}

// The runtime this request runs on: pinned until its pool goes. Null when none is loaded.
// A request that no web-module matches lets go at once.
const Runtime* pinned_runtime(request_rec* r, const WebModuleRuntime*& wm) {
    if (const Runtime* rt = redirected_from(r)) {
        wm = rt->match(r->uri);
        return rt;
    }
    SnapshotSlot* pinned = pin_snapshot();
    if (!pinned) return nullptr;
    const Runtime* rt = pinned->value.runtime;
    wm = rt->match(r->uri);
    if (!wm) {
        release_snapshot(pinned);
        return rt;
    }
    hold_for_request(r, pinned);
    return rt;
}

}  // namespace

int translate_name(request_rec* r) {
    if (r->proxyreq || !r->uri || r->uri[0] != '/') return DECLINED;
    // A reload moved the generation: switch (one thread of the child; the others go on with the
    // current snapshot). Then this request pins the snapshot it runs on until it ends.
    follow_published(r->server);
    const WebModuleRuntime* wm = nullptr;
    const Runtime* rt = pinned_runtime(r, wm);
    if (!rt || !wm || local_handler(r)) return DECLINED;
    if (routing::has_dot_segment(r->uri)) return refuse_dot_segment(r);
    const RequestHeaders headers = scan_request_headers(r, module_state().strip_headers);
    RequestContext* ctx = make_context(r, *rt, *wm, headers);
    if (disabled_module_refuses(*ctx)) return web_module_unavailable(r, *wm);
    if (headers.strip) strip_client_proxy_headers(r);
    ap_set_module_config(r->request_config, &zdu_module, ctx);
    return hand_to_proxy(r, *ctx->cluster);
}

}  // namespace zdu::glue
