#include "mod_zdu/request/proxy_headers.hpp"

#include <string>

#include "mod_zdu/request/context.hpp"

namespace zdu::glue {
namespace {

constexpr const char* kOurHeaders[] = {
    "Proxy-jroute",    "Proxy-ip",          "Proxy-keysize",    "Proxy-auth-cert",    "Proxy-ping",
    "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Server",
};

// A PEM certificate has newlines, which a header value cannot carry.
const char* one_line(apr_pool_t* p, const char* pem) {
    char* out = apr_pstrdup(p, pem);
    for (char* c = out; *c; ++c) {
        if (*c == '\r' || *c == '\n') *c = ' ';
    }
    return out;
}

void set_tls_headers(request_rec* r) {
    const char* keysize =
        ap_ssl_var_lookup(r->pool, r->server, r->connection, r, "SSL_CIPHER_USEKEYSIZE");
    if (keysize && *keysize) apr_table_setn(r->headers_in, "Proxy-keysize", keysize);
    const char* cert = ap_ssl_var_lookup(r->pool, r->server, r->connection, r, "SSL_CLIENT_CERT");
    if (cert && *cert) apr_table_setn(r->headers_in, "Proxy-auth-cert", one_line(r->pool, cert));
}

bool is_ours(const char* name) {
    if (*name != 'P' && *name != 'p' && *name != 'X' && *name != 'x') return false;
    for (const char* ours : kOurHeaders) {
        if (ap_cstr_casecmp(name, ours) == 0) return true;
    }
    return false;
}

bool has_our_headers(const apr_table_t* headers) {
    const apr_array_header_t* all = apr_table_elts(headers);
    const auto* entries = reinterpret_cast<const apr_table_entry_t*>(all->elts);
    for (int i = 0; i < all->nelts; ++i) {
        if (entries[i].key && is_ours(entries[i].key)) return true;
    }
    return false;
}

}  // namespace

// One look over the headers first: a client rarely sends any of ours, and unsetting each name
// would walk the table nine times.
void strip_client_proxy_headers(request_rec* r) {
    if (!has_our_headers(r->headers_in)) return;
    for (const char* name : kOurHeaders) apr_table_unset(r->headers_in, name);
}

// r->headers_in is here mod_proxy's copy for the backend request, already cleared of the
// headers the client's Connection named.
int set_backend_headers(request_rec* r) {
    const RequestContext* ctx = request_context(r);
    // Only requests mod_zdu routed: its pre_request counted an attempt and chose an instance.
    if (!ctx || ctx->attempts == 0 || ctx->decision.instance < 0) return DECLINED;
    const std::string& route = ctx->cluster->routes.route(ctx->decision.instance);
    apr_table_setn(r->headers_in, "Proxy-jroute", route.c_str());
    apr_table_setn(r->headers_in, "Proxy-ip", r->useragent_ip);
    apr_table_setn(r->headers_in, "X-Forwarded-Proto", ctx->tls ? "https" : "http");
    if (ctx->tls) set_tls_headers(r);
    return OK;
}

}  // namespace zdu::glue
