// The oldest httpd mod_zdu runs on: 2.4.62. mod_zdu encodes the forwarded path itself
// (ap_proxy_canonenc_ex, httpd 2.4.57) and hands it to mod_proxy_balancer's canon handler, which
// keeps it as is from 2.4.62 on; before, it encoded the path a second time ("%20" became
// "%2520") and appended the query string again.
#pragma once

#include <tuple>

#include "mod_zdu/httpd.hpp"
#include "mod_zdu/log_ids.hpp"

// The headers: 20120211.134 is 2.4.60 to 2.4.62, so this only catches far older ones; the
// running server is checked by httpd_too_old().
#if !AP_MODULE_MAGIC_AT_LEAST(20120211, 134)
#error "mod_zdu needs the headers of httpd 2.4.62 or later"
#endif

namespace zdu::glue {

// Null when the running httpd is recent enough; else why not (allocated in `p`).
inline const char* httpd_too_old(apr_pool_t* p) {
    constexpr int major = 2, minor = 4, patch = 62;
    ap_version_t v;
    ap_get_server_revision(&v);
    if (std::tie(v.major, v.minor, v.patch) >= std::tie(major, minor, patch)) return nullptr;
    return apr_psprintf(
        p, ZDU_LOG_HTTPD_TOO_OLD "mod_zdu needs httpd %d.%d.%d or later; this is %d.%d.%d", major,
        minor, patch, v.major, v.minor, v.patch);
}

}  // namespace zdu::glue
