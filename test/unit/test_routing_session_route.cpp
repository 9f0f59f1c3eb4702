#include <catch2/catch.hpp>

#include "routing/session_route.hpp"

using zdu::routing::cookie_value;
using zdu::routing::find_route_sources;
using zdu::routing::path_parameter;

TEST_CASE("cookie_value finds the first cookie of that name", "[routing]") {
    CHECK(cookie_value("a=1; JROUTE=abc; b=2", "JROUTE") == "abc");
    CHECK(cookie_value("JROUTE=first; JROUTE=second", "JROUTE") == "first");
    CHECK(cookie_value("XJROUTE=no; JROUTE=yes", "JROUTE") == "yes");
    CHECK(cookie_value("JROUTE=\"quoted\"", "JROUTE") == "quoted");
    CHECK(cookie_value("a=1;b=2", "JROUTE").empty());
    CHECK(cookie_value("", "JROUTE").empty());
    CHECK(cookie_value("JROUTE", "JROUTE").empty());
}

TEST_CASE("path_parameter reads ;name= parameters", "[routing]") {
    CHECK(path_parameter("/app;jsessionid=abc:r1", "jsessionid") == "abc:r1");
    CHECK(path_parameter("/app;JSESSIONID=abc/more", "jsessionid") == "abc");
    CHECK(path_parameter("/app;jsessionid=abc;other=1?q=1", "jsessionid") == "abc");
    CHECK(path_parameter("/app?x=;jsessionid=abc", "jsessionid").empty());
    CHECK(path_parameter("/app;foo", "jsessionid").empty());
    CHECK(path_parameter("/app", "jsessionid").empty());
}

TEST_CASE("route sources of each form", "[routing]") {
    auto s =
        find_route_sources("JROUTE=r1; JSESSIONID=id.r2", "/app;jsessionid=x:r3", "JSESSIONID");
    CHECK(s.jroute == "r1");
    CHECK(s.path_route == "r3");
    CHECK(s.tomcat_route == "r2");
    CHECK(s.session_id == "id.r2");

    auto ws = find_route_sources("JSESSIONID=0000abc:clone1:clone2", "/app", "JSESSIONID");
    CHECK(ws.websphere_ids == "clone1:clone2");
    CHECK(ws.tomcat_route.empty());

    auto custom = find_route_sources("SID=abc.r9; JSESSIONID=zzz.r1", "/", "SID");
    CHECK(custom.tomcat_route == "r9");

    auto path_only = find_route_sources("", "/app;jsessionid=sess:r4", "JSESSIONID");
    CHECK(path_only.session_id == "sess:r4");
    CHECK(path_only.path_route == "r4");

    auto replica = find_route_sources("JREPLICA=i2", "/app", "JSESSIONID");
    CHECK(replica.replica == "i2");
    CHECK(find_route_sources("", "/a;jreplica=i3", "JSESSIONID").replica == "i3");
}
