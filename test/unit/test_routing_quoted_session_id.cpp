// The session table is written with the id of the backend's Set-Cookie and read with the id of
// the client's Cookie: both parsers must give the same id for the same cookie value.
#include <catch2/catch.hpp>
#include <string>

#include "routing/session_route.hpp"
#include "routing/set_cookie.hpp"

using zdu::routing::find_route_sources;
using zdu::routing::parse_set_cookie;

namespace {

// The id a client sends back for a cookie the backend set with `value`.
std::string_view returned_id(const std::string& value) {
    static std::string header;
    header = "JSESSIONID=" + value;
    return find_route_sources(header, "/app", "JSESSIONID").session_id;
}

}  // namespace

TEST_CASE("a session id reads the same in Set-Cookie and in Cookie", "[routing][sessions]") {
    for (const std::string value : {"abc.r1", "\"abc.r1\"", "\"a,b.r1\"", "\"\"x\""}) {
        INFO(value);
        const std::string header = "JSESSIONID=" + value + "; Path=/app; HttpOnly";
        CHECK(std::string(parse_set_cookie(header).value) == std::string(returned_id(value)));
    }
}

TEST_CASE("a quoted empty session id still deletes the cookie", "[routing][sessions]") {
    CHECK(parse_set_cookie("JSESSIONID=\"\"; Path=/").deletes);
    CHECK(parse_set_cookie("JSESSIONID=; Path=/").deletes);
    CHECK_FALSE(parse_set_cookie("JSESSIONID=\"x\"; Path=/").deletes);
}
