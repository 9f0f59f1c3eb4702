// rewrite-cookies: a backend Set-Cookie whose Domain attribute names an instance host (the
// host of one of the cluster's listeners) would make the browser send the cookie to the app
// server directly, or drop it, since the browser talks to the front-end. As httpd's
// ProxyPassReverseCookieDomain does, such a Domain is rewritten to the front-end's host. This
// finds where that Domain value is; the glue splices the host in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "config/model.hpp"

namespace zdu::routing {

struct TextSpan {
    std::size_t pos = 0;
    std::size_t len = 0;
};

// The hosts of a cluster's instance listeners, for O(1) lookups without allocation.
class InstanceHosts {
  public:
    explicit InstanceHosts(const config::Cluster& cluster);

    // Whether `domain` (a cookie Domain value; one leading '.' is ignored, as browsers do)
    // is one of the hosts; ASCII case-insensitive.
    bool contains(std::string_view domain) const;

  private:
    std::unordered_multimap<std::uint64_t, std::string> hosts_;  // lower-case hash -> host
};

// Where the value of the Domain attribute of `set_cookie` is, when it names an instance host;
// nullopt when there is no Domain attribute or it names another host.
std::optional<TextSpan> instance_cookie_domain(std::string_view set_cookie,
                                               const InstanceHosts& hosts);

}  // namespace zdu::routing
