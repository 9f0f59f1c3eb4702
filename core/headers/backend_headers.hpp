// Which of its own headers mod_zdu adds to a request it forwards (ZduBackendHeaders).
//
// By default ("auto") only a header that tells the instance something it cannot know otherwise:
//   - Proxy-ip, Proxy-keysize, Proxy-auth-cert when the client came over TLS (GlassFish's
//     authPassthrough: the facts of the connection mod_zdu terminated). Over plain HTTP the
//     client's address is already in mod_proxy's X-Forwarded-For.
//   - X-Forwarded-Proto when the client's scheme is not the one the instance is reached by
//     (Tomcat's RemoteIpValve, Spring, ...): otherwise the instance sees the right scheme.
//   - Proxy-jroute never: mod_zdu sets JROUTE itself and tracks URL-rewritten session ids in its
//     table, so a GlassFish container's own JROUTE and ":jroute" suffix are not needed. A site
//     whose applications read it (Metro HA's failover check) names it.
// Each header costs a request a header line in mod_proxy (~1,000 instructions, bench/README.md).
// A name given sends that header on every request it applies to (Proxy-keysize and
// Proxy-auth-cert only exist over TLS); "all" sends all five, "none" none. Whatever is sent, a
// client's copy of these headers is always stripped (headers/strip_list.hpp).
#pragma once

#include <string>
#include <string_view>

namespace zdu::headers {

// The headers one request carries.
struct HeaderSelection {
    bool jroute = false;
    bool ip = false;
    bool keysize = false;
    bool auth_cert = false;
    bool forwarded_proto = false;
};

struct BackendHeaders {
    bool automatic = true;   // the "auto" rules above
    HeaderSelection always;  // sent whenever they apply, whatever auto says

    // One argument of ZduBackendHeaders. The first argument the directive gives replaces the
    // default (auto) with nothing, then each adds: a name, "auto", "all"; "none" clears all.
    // Returns an error naming the offending value, empty when taken.
    std::string apply(std::string_view argument);

    // What a request carries: its client came over TLS or not, its instance is reached over
    // TLS or not.
    HeaderSelection select(bool client_tls, bool backend_tls) const {
        HeaderSelection s = always;
        if (automatic) {
            s.ip |= client_tls;
            s.keysize |= client_tls;
            s.auth_cert |= client_tls;
            s.forwarded_proto |= client_tls != backend_tls;
        }
        s.keysize &= client_tls;
        s.auth_cert &= client_tls;
        return s;
    }

  private:
    bool configured_ = false;
};

}  // namespace zdu::headers
