// The manager's url= is form-decoded before it becomes a ping: what would end the request line
// (a space, CR, LF, any control character) makes it no ping URL at all.
#include <catch2/catch.hpp>

#include "health/http_ping.hpp"

using zdu::health::parse_ping_url;
using zdu::health::PingTarget;

TEST_CASE("a ping url with a space or control character is refused", "[health][ping]") {
    PingTarget t;
    CHECK_FALSE(parse_ping_url("http://10.0.0.1:8080/x HTTP/1.1\r\nX-Injected: 1\r\n", t));
    CHECK_FALSE(parse_ping_url("http://10.0.0.1:8080/a\nb", t));
    CHECK_FALSE(parse_ping_url("http://10.0.0.1:8080/a b", t));
    CHECK_FALSE(parse_ping_url("http://10.0.0.1:8080/a\tb", t));
    CHECK_FALSE(parse_ping_url("http://10.0.0.1:8080/a\x7f", t));
    CHECK_FALSE(parse_ping_url("http://h\r\n:8080/", t));
    CHECK(parse_ping_url("http://10.0.0.1:8080/a%20b?x=1", t));
    CHECK(t.path == "/a%20b?x=1");
}
