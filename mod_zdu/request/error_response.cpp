#include "mod_zdu/request/error_response.hpp"

#include <cstdlib>
#include <string>

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/request/error_pages.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "routing/retry_policy.hpp"
#include "state/instance_health.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

constexpr const char* kRetriesNote = "zdu-retries";

bool is_absolute_url(const std::string& url) {
    return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

bool has_body(request_rec* r) {
    const char* length = apr_table_get(r->headers_in, "Content-Length");
    return (length && std::strtol(length, nullptr, 10) > 0) ||
           apr_table_get(r->headers_in, "Transfer-Encoding");
}

bool is_gateway_failure(int status) {
    return status == HTTP_BAD_GATEWAY || status == HTTP_SERVICE_UNAVAILABLE ||
           status == HTTP_GATEWAY_TIME_OUT;
}

// The page named by error-url in ZduErrorPageDir, read when the config was loaded; null when
// none (error_pages.hpp).
const char* error_page(request_rec* r, const std::string& name) {
    return error_page_body(r, name);
}

}  // namespace

int prior_retries(const request_rec* r) {
    for (const request_rec* prev = r->prev; prev; prev = prev->prev) {
        if (const char* n = apr_table_get(prev->notes, kRetriesNote)) return std::atoi(n);
    }
    return 0;
}

bool may_retry(RequestContext& ctx, request_rec* r, int retries_done) {
    if (!ctx.retry_limit_known) {
        const config::WebModule& wm = *ctx.web_module->config;
        ctx.retry_limit =
            routing::retry_limit(wm, r->method, routing::path_in_module(r->uri, wm.context_root));
        ctx.retry_limit_known = true;
    }
    return routing::may_retry(ctx.retry_limit, retries_done);
}

bool retry_as_redirect(request_rec* r, RequestContext& ctx, int status) {
    int i = ctx.decision.instance;
    if (i < 0 || !is_gateway_failure(status) || r->main || has_body(r)) return false;
    // Only once the failed instance is out of rotation, so the next try goes elsewhere.
    if (state::is_healthy(*ctx.cluster->instances[i].record)) return false;
    int done = ctx.prior_retries + ctx.attempts;
    if (!may_retry(ctx, r, done - 1)) return false;
    apr_table_setn(r->notes, kRetriesNote, apr_itoa(r->pool, done));
    ctx.cluster->instances[i].record->retries.fetch_add(1, std::memory_order_relaxed);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  ZDU_LOG_RETRY "retrying %s %s after %s failed (status %d)", r->method, r->uri,
                  ctx.cluster->instances[i].config->name.c_str(), status);
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
