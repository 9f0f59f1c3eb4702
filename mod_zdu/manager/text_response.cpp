#include "mod_zdu/manager/text_response.hpp"

namespace zdu::glue {

void respond_text(request_rec* r, int status, std::string_view content_type,
                  const std::string& body) {
    r->status = status;
    ap_set_content_type(r, apr_pstrmemdup(r->pool, content_type.data(), content_type.size()));
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_set_content_length(r, static_cast<apr_off_t>(body.size()));
    ap_rwrite(body.data(), static_cast<int>(body.size()), r);
}

}  // namespace zdu::glue
