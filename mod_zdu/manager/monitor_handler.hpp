// GlassFish's monitoring pull: GET /lbgetmonitordata at the root of every virtual host answers
// the stats document (metrics/monitor_xml.hpp) while the served loadbalancer.xml sets
// require-monitor-data to true; otherwise the path is left to httpd (and to a web-module whose
// context root is "/"). GlassFish's admin server fetched it from the web server's root, so no
// directive is needed; httpd's <Location /lbgetmonitordata> with Require limits who may read it.
#pragma once

namespace zdu::glue {

void register_monitor_handler();  // from register_hooks

}  // namespace zdu::glue
