// Which client request headers never reach a backend: mod_zdu's own (it sets them, and an
// application server trusts them from its load balancer) and the forwarding family other
// proxies use (Forwarded, X-Real-IP, X-Forwarded-Port, ...), which Tomcat's RemoteIpValve,
// Spring, Jetty or WebLogic trust the same way. The family list is configurable
// (ZduStripClientHeaders); mod_zdu's own names are always stripped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "headers/header_name_set.hpp"

namespace zdu::headers {

// Set by mod_zdu for every request it routes (Proxy-keysize / Proxy-auth-cert over TLS only;
// Proxy-ping only by its health checker).
const std::vector<std::string>& own_headers();

// The family stripped unless ZduStripClientHeaders says otherwise. X-Forwarded-For, -Host and
// -Server are in it because mod_proxy appends to what the client sent (ProxyAddHeaders).
const std::vector<std::string>& default_strip_headers();

class StripList {
  public:
    StripList();  // own_headers() plus default_strip_headers()

    // One argument of ZduStripClientHeaders: "Name" adds a header, "-Name" takes one off the
    // list, "none" empties the list (own headers stay). Returns an error text, empty when taken.
    std::string apply(std::string_view argument);

    bool strips(std::string_view name) const noexcept { return set_.contains(name); }
    bool strips(const char* name) const noexcept { return set_.contains(name); }
    // The configurable part, in order (own headers not included).
    const std::vector<std::string>& listed() const noexcept { return listed_; }

  private:
    void rebuild();

    std::vector<std::string> listed_;
    HeaderNameSet set_;
};

}  // namespace zdu::headers
