// What translate_name reads of the client's request headers, found in one pass over them: the
// Cookie header, the side door's two headers, and whether any header is one the strip list
// removes. A request that names none of them (nearly all) is answered by that one pass.
#pragma once

#include "headers/strip_list.hpp"
#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

struct RequestHeaders {
    const char* cookie = nullptr;         // the first Cookie header
    const char* side_version = nullptr;   // X-Zdu-Version
    const char* side_instance = nullptr;  // X-Zdu-Instance
    bool strip = false;                   // some header is on the strip list
};

RequestHeaders scan_request_headers(const request_rec* r, const headers::StripList& strip);

}  // namespace zdu::glue
