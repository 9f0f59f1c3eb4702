#include "proxy_headers.hpp"

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

}  // namespace

void strip_client_proxy_headers(request_rec* r) {
    for (const char* name : kOurHeaders) apr_table_unset(r->headers_in, name);
}

void set_backend_headers(request_rec* r, const char* route) {
    apr_table_setn(r->headers_in, "Proxy-jroute", route);
    apr_table_setn(r->headers_in, "Proxy-ip", r->useragent_ip);
    bool tls = ap_ssl_conn_is_ssl(r->connection);
    apr_table_setn(r->headers_in, "X-Forwarded-Proto", tls ? "https" : "http");
    if (tls) set_tls_headers(r);
}

}  // namespace zdu::glue
