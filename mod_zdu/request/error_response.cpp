#include "mod_zdu/request/error_response.hpp"

#include <cstdlib>
#include <string>

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/request/error_pages.hpp"
#include "mod_zdu/request/worker_busy.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "routing/retry_budget.hpp"
#include "state/instance_health.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

bool is_absolute_url(const std::string& url) {
    return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

bool has_body(request_rec* r) {
    const char* length = apr_table_get(r->headers_in, "Content-Length");
    return (length && std::strtol(length, nullptr, 10) > 0) ||
           apr_table_get(r->headers_in, "Transfer-Encoding");
}

// The page named by error-url in ZduErrorPageDir, read when the config was loaded; null when
// none (error_pages.hpp).
const char* error_page(request_rec* r, const std::string& name) {
    return error_page_body(r, name);
}

// httpd answers 500 (AH00124) for an internal redirect past LimitInternalRecursion, and each
// retry is one: the retry that would pass it is not made, the client hears the failure.
bool redirect_allowed(request_rec* r) {
    const auto* conf =
        static_cast<core_server_config*>(ap_get_core_module_config(r->server->module_config));
    const int limit =
        conf->redirect_limit ? conf->redirect_limit : AP_DEFAULT_MAX_INTERNAL_REDIRECTS;
    int redirects = 1;  // the one this retry adds
    for (const request_rec* prev = r->prev; prev; prev = prev->prev) ++redirects;
    if (redirects < limit) return true;
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  ZDU_LOG_NOT_RETRIED
                  "%s %s not retried: %d internal redirects reach "
                  "LimitInternalRecursion %d",
                  r->method, r->uri, redirects, limit);
    return false;
}

}  // namespace

void carry_over_retries(request_rec* r, RequestContext& ctx) {
    for (const request_rec* prev = r->prev; prev; prev = prev->prev) {
        const auto* earlier = static_cast<const RequestContext*>(
            ap_get_module_config(prev->request_config, &zdu_module));
        if (!earlier) continue;
        // Only our own retry: another internal redirect (an ErrorDocument, say) starts afresh.
        if (earlier->resent && earlier->web_module == ctx.web_module) {
            ctx.retries.carry_over(earlier->retries);
            ctx.tried = earlier->tried;  // same r->pool, same cluster: shared on purpose
            // Should no instance be left to try, the client hears why the first try failed.
            ctx.failure = earlier->failure;
            // The side-door headers were removed from the request this one repeats.
            ctx.side_door_instance = earlier->side_door_instance;
            ctx.side_door_version = earlier->side_door_version;
        }
        return;
    }
}

bool spend_retry(RequestContext& ctx, request_rec* r, state::Failure why) {
    if (!ctx.retries.limits_known()) {
        const config::WebModule& wm = *ctx.web_module->config;
        ctx.retries.set_limits(
            routing::retry_limits(wm, r->method, routing::path_in_module(r->uri, wm.context_root)));
    }
    return ctx.retries.try_spend(why);
}

bool retry_as_redirect(request_rec* r, RequestContext& ctx, int status) {
    const int i = ctx.decision.instance;
    if (i < 0 || !routing::resendable(ctx.failure, status, has_body(r), r->main != nullptr)) {
        return false;
    }
    if (!redirect_allowed(r)) return false;
    // The failed instance is in ctx.tried, so the next try goes elsewhere.
    if (!spend_retry(ctx, r, ctx.failure)) return false;
    const InstanceRuntime& failed = ctx.cluster->instances[i];
    failed.record->retries.fetch_add(1, std::memory_order_relaxed);
    release_busy(r, failed.worker);
    ctx.resent = true;
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  ZDU_LOG_RETRY "retrying %s %s after %s failed (%s, status %d)", r->method, r->uri,
                  failed.config->name.c_str(), state::failure_name(ctx.failure).data(), status);
    ap_internal_redirect(r->unparsed_uri, r);
    return true;
}

int apply_error_url(request_rec* r, const WebModuleRuntime& wm, int status) {
    const std::string& url = wm.config->error_url;
    if (url.empty() || status < HTTP_INTERNAL_SERVER_ERROR) return status;
    if (is_absolute_url(url)) {
        apr_table_setn(r->headers_out, "Location", apr_pstrdup(r->pool, url.c_str()));
        return HTTP_MOVED_TEMPORARILY;
    }
    if (const char* page = error_page(r, url)) ap_custom_response(r, status, page);
    return status;
}

}  // namespace zdu::glue
