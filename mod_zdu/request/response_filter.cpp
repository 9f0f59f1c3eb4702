#include "mod_zdu/request/response_filter.hpp"

#include <string>

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/request/proxy_hooks.hpp"
#include "routing/set_cookie.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

ap_filter_rec_t* response_filter_handle = nullptr;

struct CookieScan {
    std::string_view session_cookie;
    bool session_created = false;
    bool session_deleted = false;
    bool backend_set_jroute = false;
};

int scan_one(void* data, const char*, const char* value) {
    auto* scan = static_cast<CookieScan*>(data);
    std::string_view name = routing::set_cookie_name(value);
    if (name == "JROUTE") scan->backend_set_jroute = true;
    if (name == scan->session_cookie) {
        bool deletes = routing::parse_set_cookie(value).deletes;
        (deletes ? scan->session_deleted : scan->session_created) = true;
    }
    return 1;
}

CookieScan scan_set_cookies(request_rec* r, std::string_view session_cookie) {
    CookieScan scan{session_cookie};
    apr_table_do(scan_one, &scan, r->headers_out, "Set-Cookie", nullptr);
    apr_table_do(scan_one, &scan, r->err_headers_out, "Set-Cookie", nullptr);
    return scan;
}

// A request whose JROUTE cookie (if any) already names the chosen instance needs no new one.
bool route_cookie_stale(const RequestContext& ctx, const std::string& route) {
    return !ctx.sources.jroute.empty() && ctx.sources.jroute != route;
}

void set_route_cookie(request_rec* r, const RequestContext& ctx, const char* value, bool expire) {
    const char* cookie =
        apr_pstrcat(r->pool, "JROUTE=", value, expire ? "; Max-Age=0" : "",
                    ctx.web_module->cookie_attributes.c_str(), ctx.tls ? "; Secure" : "", nullptr);
    apr_table_addn(r->err_headers_out, "Set-Cookie", cookie);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, ZDU_LOG_ROUTE_COOKIE "Set-Cookie: %s", cookie);
}

void apply_route_cookie(request_rec* r, const RequestContext& ctx) {
    if (ctx.decision.instance < 0) return;
    CookieScan scan = scan_set_cookies(r, ctx.cluster->session_cookie);
    if (scan.backend_set_jroute) return;
    const std::string& route = ctx.cluster->routes.route(ctx.decision.instance);
    if (scan.session_deleted && !scan.session_created) {
        if (!ctx.sources.jroute.empty()) set_route_cookie(r, ctx, "", true);
        return;
    }
    bool moved = ctx.decision.kind == routing::Decision::Kind::Moved;
    if (scan.session_created || moved || route_cookie_stale(ctx, route)) {
        set_route_cookie(r, ctx, route.c_str(), false);
    }
}

// "http://instance:port/x" -> "<front-end scheme://host:port>/x" for any instance listener.
void rewrite_location(request_rec* r, const RequestContext& ctx) {
    if (!ctx.runtime->settings.rewrite_location) return;
    const char* location = apr_table_get(r->headers_out, "Location");
    if (!location) return;
    std::string_view loc(location);
    auto scheme_end = loc.find("://");
    if (scheme_end == std::string_view::npos) return;
    auto path_start = loc.find('/', scheme_end + 3);
    std::string prefix(loc.substr(0, path_start));
    if (ctx.cluster->listener_prefixes.count(prefix) == 0) return;
    const char* rest = path_start == std::string_view::npos ? "/" : location + path_start;
    const char* rewritten = ap_construct_url(r->pool, rest, r);
    apr_table_setn(r->headers_out, "Location", rewritten);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  ZDU_LOG_LOCATION_REWRITTEN "Location %s rewritten to %s", location, rewritten);
}

apr_status_t response_filter(ap_filter_t* f, apr_bucket_brigade* bb) {
    const auto* ctx = static_cast<const RequestContext*>(f->ctx);
    note_response_started(f->r);
    apply_route_cookie(f->r, *ctx);
    rewrite_location(f->r, *ctx);
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

}  // namespace

void register_response_filter() {
    response_filter_handle =
        ap_register_output_filter("ZDU_RESPONSE", response_filter, nullptr, AP_FTYPE_CONTENT_SET);
}

void add_response_filter(request_rec* r, RequestContext& ctx) {
    if (ctx.filter_added) return;
    ctx.filter_added = true;
    ap_add_output_filter_handle(response_filter_handle, &ctx, r, r->connection);
}

}  // namespace zdu::glue
