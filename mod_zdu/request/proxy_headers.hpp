// The headers the GlassFish load balancer protocol sends to instances (Proxy-jroute, Proxy-ip,
// Proxy-keysize, Proxy-auth-cert) and the X-Forwarded-* family. Clients cannot forge them: any
// they send is removed before ours are set.
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

void strip_client_proxy_headers(request_rec* r);

// Set for each attempt, as a retry may go to another instance.
void set_backend_headers(request_rec* r, const char* route, bool tls);

}  // namespace zdu::glue
