#include "mod_zdu/request/request_headers.hpp"

#include "mod_zdu/request/side_door.hpp"

namespace zdu::glue {
namespace {

// X-Zdu-Version / X-Zdu-Instance: compared only for a header that starts with 'x'.
void note_side_door(RequestHeaders& found, const char* key, const char* value) {
    if (!found.side_version && ap_cstr_casecmp(key, kSideDoorVersionHeader) == 0) {
        found.side_version = value;
    } else if (!found.side_instance && ap_cstr_casecmp(key, kSideDoorInstanceHeader) == 0) {
        found.side_instance = value;
    }
}

}  // namespace

RequestHeaders scan_request_headers(const request_rec* r, const headers::StripList& strip) {
    RequestHeaders found;
    const apr_array_header_t* all = apr_table_elts(r->headers_in);
    const auto* e = reinterpret_cast<const apr_table_entry_t*>(all->elts);
    for (int i = 0; i < all->nelts; ++i) {
        const char* key = e[i].key;
        if (!key) continue;
        const char first = static_cast<char>(*key | 0x20);
        // "Cookie" against "Connection", "Content-Length"...: the third letter tells most.
        if (first == 'c' && (key[1] | 0x20) == 'o' && (key[2] | 0x20) == 'o' && !found.cookie &&
            ap_cstr_casecmp(key, "Cookie") == 0) {
            found.cookie = e[i].val;
        } else if (first == 'x') {
            note_side_door(found, key, e[i].val);
        }
        if (!found.strip && strip.strips(key)) found.strip = true;
    }
    return found;
}

}  // namespace zdu::glue
