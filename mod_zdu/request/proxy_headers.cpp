#include "mod_zdu/request/proxy_headers.hpp"

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

void set_backend_headers(request_rec* r, const char* route, bool tls) {
    apr_table_setn(r->headers_in, "Proxy-jroute", route);
    apr_table_setn(r->headers_in, "Proxy-ip", r->useragent_ip);
    apr_table_setn(r->headers_in, "X-Forwarded-Proto", tls ? "https" : "http");
    if (tls) set_tls_headers(r);
}

}  // namespace zdu::glue
