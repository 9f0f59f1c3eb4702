#include "mod_zdu/request/translate.hpp"

#include <cstring>

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/request/context.hpp"
#include "mod_zdu/request/error_response.hpp"
#include "mod_zdu/request/proxy_headers.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/time_ms.hpp"

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

bool disabled_module_refuses(const RequestContext& ctx, std::int64_t now) {
    const WebModuleRuntime& wm = *ctx.web_module;
    if (wm.config->enabled) return false;
    if (routing::named_instance(ctx.cluster->routes, ctx.sources) < 0) return true;
    return now >=
           quiesce_deadline_ms(*ctx.runtime, false, wm.config->disable_timeout_minutes, *wm.record);
}

RequestContext* make_context(request_rec* r, const Runtime& rt, const WebModuleRuntime& wm) {
    auto* ctx = static_cast<RequestContext*>(apr_pcalloc(r->pool, sizeof(RequestContext)));
    ctx->runtime = &rt;
    ctx->web_module = &wm;
    ctx->cluster = &rt.clusters[wm.cluster];
    const char* cookies = apr_table_get(r->headers_in, "Cookie");
    ctx->sources =
        routing::find_route_sources(cookies ? cookies : "", r->uri, ctx->cluster->session_cookie);
    carry_over_retries(r, *ctx);
    ctx->tls = ap_ssl_conn_is_ssl(r->connection);
    return ctx;
}

// Hands the request to mod_proxy with our balancer; mod_proxy_balancer's canon handler and our
// pre_request hook take it from there.
int hand_to_proxy(request_rec* r, const ClusterRuntime& cluster) {
    const char* path = ap_proxy_canonenc_ex(r->pool, r->uri, static_cast<int>(std::strlen(r->uri)),
                                            enc_path, 0, PROXYREQ_REVERSE);
    if (!path) return HTTP_BAD_REQUEST;
    r->filename = apr_pstrcat(r->pool, "proxy:", cluster.balancer_url.c_str(), path,
                              r->args ? "?" : "", r->args, nullptr);
    r->handler = "proxy-server";
    r->proxyreq = PROXYREQ_REVERSE;
    return OK;
}

}  // namespace

int translate_name(request_rec* r) {
    const Runtime* rt = current_runtime();
    if (!rt || r->proxyreq || !r->uri || r->uri[0] != '/') return DECLINED;
    const WebModuleRuntime* wm = rt->match(r->uri);
    if (!wm) return DECLINED;
    RequestContext* ctx = make_context(r, *rt, *wm);
    if (disabled_module_refuses(*ctx, now_ms())) return web_module_unavailable(r, *wm);
    strip_client_proxy_headers(r);
    ap_set_module_config(r->request_config, &zdu_module, ctx);
    return hand_to_proxy(r, *ctx->cluster);
}

}  // namespace zdu::glue
