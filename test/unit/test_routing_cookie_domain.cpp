// rewrite-cookies: which backend Set-Cookie Domain values name an instance host.
#include <catch2/catch.hpp>
#include <string>

#include "loopback_instance.hpp"
#include "routing/cookie_domain.hpp"

namespace config = zdu::config;
using zdu::routing::instance_cookie_domain;
using zdu::routing::InstanceHosts;

namespace {

config::Cluster cluster_on(std::initializer_list<const char*> hosts) {
    config::Cluster c;
    for (const char* host : hosts) {
        config::Instance i = loopback_instance(host);
        i.listeners[0].host = host;
        c.instances.push_back(i);
    }
    return c;
}

// The header with its Domain value replaced by `host`, as the glue splices it; unchanged when
// the Domain does not name an instance host.
std::string rewritten(const InstanceHosts& hosts, const std::string& header,
                      const std::string& host = "lb.example") {
    auto span = instance_cookie_domain(header, hosts);
    if (!span) return header;
    return header.substr(0, span->pos) + host + header.substr(span->pos + span->len);
}

}  // namespace

TEST_CASE("a Domain naming an instance host is found", "[routing]") {
    InstanceHosts hosts(cluster_on({"app1.internal", "10.0.0.2"}));
    CHECK(rewritten(hosts, "a=1; Domain=app1.internal; Path=/") ==
          "a=1; Domain=lb.example; Path=/");
    CHECK(rewritten(hosts, "a=1;domain=.APP1.internal") == "a=1;domain=lb.example");
    CHECK(rewritten(hosts, "a=1; Path=/; DOMAIN = 10.0.0.2 ; Secure") ==
          "a=1; Path=/; DOMAIN = lb.example ; Secure");
}

TEST_CASE("other cookies are left as they are", "[routing]") {
    InstanceHosts hosts(cluster_on({"app1.internal"}));
    for (std::string header :
         {"a=1; Path=/", "a=1; Domain=example.com", "a=1; Domain=", "a=1; Domain=internal",
          "domain=app1.internal", "a=1; Domainx=app1.internal", "a=1; Domain=xapp1.internal",
          "a=1; Domain=app1.internal.evil"}) {
        CHECK(rewritten(hosts, header) == header);
    }
}

TEST_CASE("instance hosts are compared without case and a leading dot", "[routing]") {
    InstanceHosts hosts(cluster_on({"App1.Internal", "app1.internal"}));
    CHECK(hosts.contains("app1.internal"));
    CHECK(hosts.contains(".APP1.INTERNAL"));
    CHECK_FALSE(hosts.contains(""));
    CHECK_FALSE(hosts.contains("."));
    CHECK_FALSE(hosts.contains("app1"));
}
