// The headers the GlassFish load balancer protocol sends to instances (Proxy-jroute, Proxy-ip,
// Proxy-keysize, Proxy-auth-cert, plus X-Forwarded-Proto). Clients cannot forge them, nor the
// forwarding headers of other proxies (core/headers/strip_list.hpp): those are removed when
// mod_zdu takes the request, and ours are set in mod_proxy's fixups hook, after mod_proxy has
// removed what the client's Connection header names, so a client cannot remove ours.
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// translate_name, for requests mod_zdu routes: the client's copies go.
void strip_client_proxy_headers(request_rec* r);

// mod_proxy's fixups hook: runs for each attempt, as a retry may go to another instance. Sends
// the headers ZduBackendHeaders selects for it (auto by default: headers/backend_headers.hpp).
int set_backend_headers(request_rec* r);

// ZduBackendHeaders (ITERATE).
const char* set_backend_headers_directive(cmd_parms* cmd, void*, const char* arg);

// ZduStripClientHeaders (ITERATE).
const char* set_strip_client_headers(cmd_parms* cmd, void*, const char* arg);

}  // namespace zdu::glue
