// mod_proxy's pre_request/post_request/request_status hooks for mod_zdu's own balancers
// (DECLINED for all others, which mod_proxy_balancer then handles as usual).
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

int pre_request(proxy_worker** worker, proxy_balancer** balancer, request_rec* r,
                proxy_server_conf* conf, char** url);

int post_request(proxy_worker* worker, proxy_balancer* balancer, request_rec* r,
                 proxy_server_conf* conf);

// A failed idempotent request is sent again (as an internal redirect) while retries and
// healthy instances remain; otherwise the web-module's error-url or error page is applied.
int request_status(int* status, request_rec* r);

// mod_proxy's canon_handler for the URLs translate_name made: already canonical (its path
// encoded there), so mod_proxy_balancer's parse of them is skipped.
int canon_handler(request_rec* r, char* url);

// Called by the response filter as the response headers go out: the end of the response time
// the adaptive policy sees.
void note_response_started(request_rec* r);

}  // namespace zdu::glue
