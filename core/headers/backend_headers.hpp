// Which of its own headers mod_zdu adds to a request it forwards (ZduBackendHeaders). All of
// them by default: Proxy-jroute (a GlassFish container sets JROUTE and rewrites URLs from it),
// Proxy-ip, and over TLS Proxy-keysize and Proxy-auth-cert (GlassFish's authPassthrough), and
// X-Forwarded-Proto (Tomcat's RemoteIpValve, Spring, ...). Each header mod_proxy forwards costs
// the request path a header line (~1,000 instructions): a site whose application servers read
// none of them can turn them off. Whatever is sent, a client's copy of these headers is always
// stripped (headers/strip_list.hpp).
#pragma once

#include <string>
#include <string_view>

namespace zdu::headers {

struct BackendHeaders {
    bool jroute = true;           // Proxy-jroute
    bool ip = true;               // Proxy-ip
    bool keysize = true;          // Proxy-keysize (TLS only)
    bool auth_cert = true;        // Proxy-auth-cert (TLS with a client certificate only)
    bool forwarded_proto = true;  // X-Forwarded-Proto

    // One argument of ZduBackendHeaders. The first argument the directive gives replaces the
    // default (all) with nothing, then each name adds one; "none" sends none. Returns an error
    // naming the offending value, empty when taken.
    std::string apply(std::string_view argument);

  private:
    bool configured_ = false;
};

}  // namespace zdu::headers
