// Looks at the backend's response headers before they go out: adds the JROUTE cookie when the
// response starts a session or the session moved, expires it on logout, points redirects at
// instance listeners back at the front-end (rewrite-location), and cookie domains naming an
// instance host at the front-end's host (rewrite-cookies).
#pragma once

#include "mod_zdu/httpd.hpp"
#include "mod_zdu/request/context.hpp"

namespace zdu::glue {

void register_response_filter();
void add_response_filter(request_rec* r, RequestContext& ctx);

}  // namespace zdu::glue
