#include "mod_zdu/manager/json_response.hpp"

namespace zdu::glue {

void respond_json(request_rec* r, int status, const std::string& json) {
    r->status = status;
    ap_set_content_type(r, "application/json");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_set_content_length(r, static_cast<apr_off_t>(json.size()));
    ap_rwrite(json.data(), static_cast<int>(json.size()), r);
}

}  // namespace zdu::glue
