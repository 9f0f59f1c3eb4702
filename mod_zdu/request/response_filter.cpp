#include "mod_zdu/request/response_filter.hpp"

#include <string>

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/request/long_lived.hpp"
#include "mod_zdu/request/pin_cookie.hpp"
#include "mod_zdu/request/proxy_hooks.hpp"
#include "mod_zdu/request/session_tracking.hpp"
#include "routing/cookie_domain.hpp"
#include "routing/route_cookie.hpp"
#include "routing/set_cookie.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

ap_filter_rec_t* response_filter_handle = nullptr;

struct CookieScan {
    std::string_view session_cookie;
    bool session_created = false;
    bool session_deleted = false;
    std::string_view created_value;  // the new session id, for the session table
    bool backend_set_jroute = false;
    bool session_end_header = false;  // X-Zdu-Session-End
    bool location = false;            // headers_out has a Location
};

void scan_one(CookieScan& scan, const char* value) {
    const routing::SetCookie cookie = routing::parse_set_cookie(value, scan.session_cookie);
    if (cookie.name == "JROUTE") scan.backend_set_jroute = true;
    if (!cookie.name.empty() && cookie.name == scan.session_cookie) {
        (cookie.deletes ? scan.session_deleted : scan.session_created) = true;
        if (!cookie.deletes) scan.created_value = cookie.value;
    }
}

// One pass over a response header table for the names this filter reads: the first letter
// rules out most headers, the next two most of the rest ("Server", "X-Backend-…"), before any
// comparison. Each letter is read only after the one before it matched, so never past the NUL.
void scan_headers(CookieScan& scan, const apr_table_t* headers, bool find_location) {
    const apr_array_header_t* all = apr_table_elts(headers);
    auto* e = reinterpret_cast<apr_table_entry_t*>(all->elts);
    for (int i = 0; i < all->nelts; ++i) {
        const char* key = e[i].key;
        if (!key || !e[i].val) continue;
        switch (*key | 0x20) {
            case 's':
                if ((key[1] | 0x20) == 'e' && (key[2] | 0x20) == 't' &&
                    ap_cstr_casecmp(key, "Set-Cookie") == 0) {
                    scan_one(scan, e[i].val);
                }
                break;
            case 'x':
                if (key[1] == '-' && (key[2] | 0x20) == 'z' &&
                    ap_cstr_casecmp(key, kSessionEndHeader) == 0) {
                    scan.session_end_header = true;
                }
                break;
            case 'l':
                if (find_location && !scan.location && (key[1] | 0x20) == 'o' &&
                    (key[2] | 0x20) == 'c' && ap_cstr_casecmp(key, "Location") == 0) {
                    scan.location = true;
                }
                break;
            default:
                break;
        }
    }
}

// Location is looked for only where mod_proxy puts the backend's, and only when it is rewritten.
CookieScan scan_response_headers(request_rec* r, const RequestContext& ctx) {
    CookieScan scan;
    scan.session_cookie = ctx.cluster->session_cookie;
    scan_headers(scan, r->headers_out, ctx.runtime->settings.rewrite_location);
    scan_headers(scan, r->err_headers_out, false);
    return scan;
}

// Into headers_out: this filter runs as the response it is on goes out, so headers_out is what
// is sent with it; a cookie in err_headers_out would make httpd's header filter build a merged
// copy of both tables for every new session. (An error response httpd makes in the backend's
// place, as with ProxyErrorOverride, gets no route cookie, as before this choice.)
void set_route_cookie(request_rec* r, const char* cookie) {
    apr_table_addn(r->headers_out, "Set-Cookie", cookie);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, ZDU_LOG_ROUTE_COOKIE "Set-Cookie: %s", cookie);
}

// The decision is the core's (routing/route_cookie.hpp); this gathers its facts.
void apply_route_cookie(request_rec* r, const RequestContext& ctx, const CookieScan& scan) {
    const std::string& route = ctx.cluster->routes.route(ctx.decision.instance);
    routing::RouteCookieFacts facts;
    facts.routed = true;
    facts.moved = ctx.decision.kind == routing::Decision::Kind::Moved;
    facts.backend_set_jroute = scan.backend_set_jroute;
    facts.session_created = scan.session_created;
    facts.session_deleted = scan.session_deleted;
    facts.client_jroute = ctx.sources.jroute;
    facts.route = route;
    switch (routing::route_cookie_action(facts)) {
        case routing::RouteCookieAction::Set:
            set_route_cookie(r, ctx.web_module->route_cookie(ctx.decision.instance, ctx.tls));
            break;
        case routing::RouteCookieAction::Expire:
            set_route_cookie(r, ctx.web_module->expired_route_cookie[ctx.tls ? 1 : 0].c_str());
            break;
        case routing::RouteCookieAction::Keep:
            break;
    }
}

// rewrite-cookies: a Domain naming an instance host becomes the front-end's host, as
// ProxyPassReverseCookieDomain would do. The entries are changed in place; the new values live
// in the request pool.
void rewrite_cookie_domains(request_rec* r, apr_table_t* headers, const RequestContext& ctx) {
    const apr_array_header_t* entries = apr_table_elts(headers);
    auto* e = reinterpret_cast<apr_table_entry_t*>(entries->elts);
    for (int i = 0; i < entries->nelts; ++i) {
        if (!e[i].key || !e[i].val || ap_cstr_casecmp(e[i].key, "Set-Cookie") != 0) continue;
        auto span = routing::instance_cookie_domain(e[i].val, ctx.cluster->instance_hosts);
        if (!span) continue;
        const char* value = e[i].val;
        e[i].val = apr_pstrcat(r->pool, apr_pstrmemdup(r->pool, value, span->pos),
                               ap_get_server_name(r), value + span->pos + span->len, nullptr);
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      ZDU_LOG_COOKIE_DOMAIN_REWRITTEN "Set-Cookie %s rewritten to %s", value,
                      e[i].val);
    }
}

void rewrite_cookies(request_rec* r, const RequestContext& ctx) {
    if (!ctx.runtime->settings.rewrite_cookies) return;
    rewrite_cookie_domains(r, r->headers_out, ctx);
    rewrite_cookie_domains(r, r->err_headers_out, ctx);
}

// "http://instance:port/x" -> "<front-end scheme://host:port>/x" for any instance listener.
// Looked up by name only when the scan saw one: the table changes between the scan and here
// (X-Zdu-Session-End unset, cookies added), so no pointer into it is kept.
void rewrite_location(request_rec* r, bool has_location, const RequestContext& ctx) {
    if (!has_location) return;
    const char* location = apr_table_get(r->headers_out, "Location");
    if (!location) return;
    std::string_view loc(location);
    auto scheme_end = loc.find("://");
    if (scheme_end == std::string_view::npos) return;
    auto path_start = loc.find('/', scheme_end + 3);
    if (ctx.cluster->listener_prefixes.count(loc.substr(0, path_start)) == 0) return;
    const char* rest = path_start == std::string_view::npos ? "/" : location + path_start;
    const char* rewritten = ap_construct_url(r->pool, rest, r);
    apr_table_setn(r->headers_out, "Location", rewritten);  // one line, as a repeated one was
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  ZDU_LOG_LOCATION_REWRITTEN "Location %s rewritten to %s", location, rewritten);
}

// One scan of the backend's headers serves the route cookie, the session table, the version
// pin and the Location rewrite.
void follow_sessions(request_rec* r, RequestContext& ctx, const CookieScan& scan) {
    if (ctx.decision.instance < 0) return;
    apply_route_cookie(r, ctx, scan);
    if (learn_from_response(r, ctx,
                            {scan.created_value, scan.session_deleted, scan.session_end_header})) {
        set_pin_cookie(r, ctx);
    }
    note_event_stream(r, ctx);
}

apr_status_t response_filter(ap_filter_t* f, apr_bucket_brigade* bb) {
    auto* ctx = static_cast<RequestContext*>(f->ctx);
    note_response_started(f->r);
    const CookieScan scan = scan_response_headers(f->r, *ctx);
    follow_sessions(f->r, *ctx, scan);
    rewrite_location(f->r, scan.location, *ctx);
    rewrite_cookies(f->r, *ctx);
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
