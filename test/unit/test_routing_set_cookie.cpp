#include <catch2/catch.hpp>

#include "routing/set_cookie.hpp"

using zdu::routing::parse_set_cookie;

TEST_CASE("Set-Cookie: name, value and deletion", "[routing]") {
    auto c = parse_set_cookie("JSESSIONID=abc.r1; Path=/app; HttpOnly");
    CHECK(c.name == "JSESSIONID");
    CHECK(c.value == "abc.r1");
    CHECK_FALSE(c.deletes);
    CHECK(parse_set_cookie("JSESSIONID=; Path=/").deletes);
    CHECK(parse_set_cookie("JSESSIONID=x; Max-Age=0").deletes);
    CHECK(parse_set_cookie("JSESSIONID=x; max-age=-1").deletes);
    CHECK(parse_set_cookie("JSESSIONID=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT").deletes);
    CHECK_FALSE(parse_set_cookie("JSESSIONID=x; Max-Age=3600").deletes);
    CHECK(parse_set_cookie("garbage").name.empty());
}

TEST_CASE("set_cookie_name reads only the name", "[routing]") {
    CHECK(zdu::routing::set_cookie_name("JSESSIONID=abc.r1; Path=/app") == "JSESSIONID");
    CHECK(zdu::routing::set_cookie_name(" JROUTE =x") == "JROUTE");
    CHECK(zdu::routing::set_cookie_name("garbage").empty());
    CHECK(zdu::routing::set_cookie_name("flag; a=b").empty());
}

TEST_CASE("Set-Cookie: the one-name parse reads the value of that name only", "[routing]") {
    auto mine = parse_set_cookie("JSESSIONID=abc.r1; Path=/app; Max-Age=0", "JSESSIONID");
    CHECK(mine.name == "JSESSIONID");
    CHECK(mine.value == "abc.r1");
    CHECK(mine.deletes);
    auto other = parse_set_cookie("JROUTE=r1; Max-Age=0", "JSESSIONID");
    CHECK(other.name == "JROUTE");
    CHECK(other.value.empty());
    CHECK_FALSE(other.deletes);
    CHECK(parse_set_cookie("JSESSIONID=\"q\"; Path=/", "JSESSIONID").value == "q");
    CHECK(parse_set_cookie("garbage", "JSESSIONID").name.empty());
}
