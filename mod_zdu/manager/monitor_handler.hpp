// GlassFish's monitoring pull: GET /lbgetmonitordata at the root of every virtual host answers
// the stats document (metrics/monitor_xml.hpp) while the served loadbalancer.xml sets
// require-monitor-data to true; otherwise the path is left to httpd (and to a web-module whose
// context root is "/"). GlassFish's admin server fetched it from the web server's root, so no
// directive is needed; httpd's <Location /lbgetmonitordata> with Require limits who may read it.
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// A handler of handlers.cpp's one handler hook: DECLINED unless the request is its own.
int monitor_handler(request_rec* r);

}  // namespace zdu::glue
