#include "mod_zdu/request/stale_session.hpp"

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/request/error_response.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/time_ms.hpp"
#include "sessions/session_table.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

// The app may have scoped its cookie to the context root or to "/": both are expired.
void expire_cookies(request_rec* r, const RequestContext& ctx) {
    const char* name = ctx.cluster->session_cookie.c_str();
    const std::string& root = ctx.web_module->config->context_root;
    apr_table_addn(r->err_headers_out, "Set-Cookie",
                   apr_pstrcat(r->pool, name, "=; Max-Age=0; Path=/", nullptr));
    if (root != "/") {
        apr_table_addn(r->err_headers_out, "Set-Cookie",
                       apr_pstrcat(r->pool, name, "=; Max-Age=0; Path=", root.c_str(), nullptr));
    }
    if (!ctx.sources.jroute.empty()) {
        apr_table_addn(r->err_headers_out, "Set-Cookie",
                       apr_pstrcat(r->pool, "JROUTE=; Max-Age=0",
                                   ctx.web_module->cookie_attributes.c_str(), nullptr));
    }
}

void end_in_table(const RequestContext& ctx) {
    auto& table = module_state().session_table;
    if (!table || ctx.session.hash == 0) return;
    auto now = state::store_seconds(*module_state().block, now_ms());
    table->end(ctx.session, now + ctx.web_module->session_timeout_s);
}

}  // namespace

int answer_stale_session(request_rec* r, RequestContext& ctx) {
    ctx.cluster->record->stale_sessions.fetch_add(1, std::memory_order_relaxed);
    end_in_table(ctx);
    expire_cookies(r, ctx);
    const auto action = ctx.web_module->config->stale_session;
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  ZDU_LOG_STALE_SESSION
                  "cluster %s: %s %s carries a session of a retired instance; cookies expired, "
                  "%s",
                  ctx.cluster->config->name.c_str(), r->method, r->uri,
                  action == config::WebModule::StaleSession::ErrorUrl
                      ? "answered with the error-url"
                      : "sent to the entry page");
    if (action == config::WebModule::StaleSession::ErrorUrl) {
        return apply_error_url(r, *ctx.web_module, HTTP_SERVICE_UNAVAILABLE);
    }
    apr_table_setn(r->headers_out, "Location",
                   ap_construct_url(r->pool, ctx.web_module->entry_url.c_str(), r));
    return HTTP_MOVED_TEMPORARILY;
}

}  // namespace zdu::glue
