#include "mod_zdu/request/proxy_headers.hpp"

#include <string>

#include "headers/proxy_auth_cert.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/request/context.hpp"
#include "mod_zdu/state/module_state.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

// The first header from index `from` on that the strip list names, or -1.
int next_stripped(const apr_table_t* headers, int from, const headers::StripList& strip) {
    const apr_array_header_t* all = apr_table_elts(headers);
    const auto* entries = reinterpret_cast<const apr_table_entry_t*>(all->elts);
    for (int i = from; i < all->nelts; ++i) {
        if (entries[i].key && strip.strips(entries[i].key)) return i;
    }
    return -1;
}

// mod_ssl's PEM into the form GlassFish parses, in the request pool.
const char* glassfish_cert(request_rec* r, const char* pem) {
    headers::ProxyAuthCert cert(pem);
    if (!cert.valid()) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      ZDU_LOG_CLIENT_CERT_UNUSABLE
                      "client certificate not forwarded: "
                      "SSL_CLIENT_CERT holds no PEM certificate");
        return nullptr;
    }
    auto* value = static_cast<char*>(apr_palloc(r->pool, cert.size() + 1));
    cert.write(value);
    value[cert.size()] = '\0';
    return value;
}

void set_tls_headers(request_rec* r, const headers::HeaderSelection& send) {
    if (send.keysize) {
        const char* keysize =
            ap_ssl_var_lookup(r->pool, r->server, r->connection, r, "SSL_CIPHER_USEKEYSIZE");
        if (keysize && *keysize) apr_table_setn(r->headers_in, "Proxy-keysize", keysize);
    }
    if (!send.auth_cert) return;
    const char* pem = ap_ssl_var_lookup(r->pool, r->server, r->connection, r, "SSL_CLIENT_CERT");
    const char* cert = pem && *pem ? glassfish_cert(r, pem) : nullptr;
    if (cert) apr_table_setn(r->headers_in, "Proxy-auth-cert", cert);
}

}  // namespace

// Unsetting compacts the table, so the scan resumes where the removed header was; a client
// rarely sends any, and then this is one pass over the headers with a hash lookup each.
void strip_client_proxy_headers(request_rec* r) {
    const headers::StripList& strip = module_state().strip_headers;
    for (int i = next_stripped(r->headers_in, 0, strip); i >= 0;
         i = next_stripped(r->headers_in, i, strip)) {
        const auto* entries =
            reinterpret_cast<const apr_table_entry_t*>(apr_table_elts(r->headers_in)->elts);
        const char* name = entries[i].key;
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      ZDU_LOG_CLIENT_HEADER_STRIPPED "removed client header %s from %s %s", name,
                      r->method, r->uri);
        apr_table_unset(r->headers_in, name);
    }
}

// r->headers_in is here mod_proxy's copy for the backend request, already cleared of the
// headers the client's Connection named. r->useragent_ip is the client mod_remoteip
// established when it is configured; mod_proxy's own X-Forwarded-For uses it too.
int set_backend_headers(request_rec* r) {
    const RequestContext* ctx = request_context(r);
    // Only requests mod_zdu routed: its pre_request counted an attempt and chose an instance.
    if (!ctx || ctx->attempts == 0 || ctx->decision.instance < 0) return DECLINED;
    const InstanceRuntime& inst = ctx->cluster->instances[ctx->decision.instance];
    const headers::HeaderSelection send = module_state().backend_headers.select(ctx->tls, inst.tls);
    if (send.jroute) {
        const std::string& route = ctx->cluster->routes.route(ctx->decision.instance);
        apr_table_setn(r->headers_in, "Proxy-jroute", route.c_str());
    }
    if (send.ip) apr_table_setn(r->headers_in, "Proxy-ip", r->useragent_ip);
    if (send.forwarded_proto) {
        apr_table_setn(r->headers_in, "X-Forwarded-Proto", ctx->tls ? "https" : "http");
    }
    if (ctx->tls) set_tls_headers(r, send);
    return OK;
}

const char* set_backend_headers_directive(cmd_parms* cmd, void*, const char* arg) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    std::string error = module_state().backend_headers.apply(arg);
    if (error.empty()) return nullptr;
    return apr_pstrcat(
        cmd->pool, ZDU_LOG_BACKEND_HEADERS_INVALID "ZduBackendHeaders: ", error.c_str(), nullptr);
}

const char* set_strip_client_headers(cmd_parms* cmd, void*, const char* arg) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    std::string error = module_state().strip_headers.apply(arg);
    if (error.empty()) return nullptr;
    return apr_pstrcat(
        cmd->pool, ZDU_LOG_STRIP_LIST_INVALID "ZduStripClientHeaders: ", error.c_str(), nullptr);
}

}  // namespace zdu::glue
