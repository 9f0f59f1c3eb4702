#include "mod_zdu/manager/html_response.hpp"

namespace zdu::glue {

void respond_html(request_rec* r, int status, const std::string& html) {
    r->status = status;
    ap_set_content_type(r, "text/html; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "X-Frame-Options", "DENY");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    apr_table_setn(r->headers_out, "Referrer-Policy", "same-origin");
    apr_table_setn(r->headers_out, "Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                   "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    ap_set_content_length(r, static_cast<apr_off_t>(html.size()));
    ap_rwrite(html.data(), static_cast<int>(html.size()), r);
}

}  // namespace zdu::glue
