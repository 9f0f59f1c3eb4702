// --devicehost becomes the host of a URL: what is not a host name or an IP address (a host with
// a port, a half-bracketed IPv6 address) is refused, not turned into a URL that names another
// host or does not parse.
#include <catch2/catch.hpp>
#include <string>

#include "description/commands.hpp"

using zdu::description::device_front_end_url;

TEST_CASE("a device host with a port or broken brackets is refused", "[description][review12b]") {
    for (const char* bad : {"web1:8443", "[::1", "::1]", "[web1]", "[::1]:443", "1.2.3.4:80"}) {
        std::string why;
        INFO(bad);
        CHECK_FALSE(device_front_end_url(bad, 443, why));
        CHECK_THAT(why, Catch::Contains("--devicehost"));
    }
}

TEST_CASE("a device host may be an IPv6 address with or without its brackets",
          "[description][review12b]") {
    std::string why;
    CHECK(device_front_end_url("[::1]", 443, why) == "https://[::1]:443/zdu-manager");
    CHECK(device_front_end_url("fe80::1", 8443, why) == "https://[fe80::1]:8443/zdu-manager");
}
