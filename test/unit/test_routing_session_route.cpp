#include <catch2/catch.hpp>

#include "routing/session_route.hpp"

using zdu::routing::find_route_sources;

TEST_CASE("the JROUTE cookie is the first cookie of exactly that name", "[routing]") {
    auto jroute = [](std::string_view header) {
        return find_route_sources(header, "/app", "JSESSIONID").jroute;
    };
    CHECK(jroute("a=1; JROUTE=abc; b=2") == "abc");
    CHECK(jroute("JROUTE=first; JROUTE=second") == "first");
    CHECK(jroute("XJROUTE=no; JROUTE=yes") == "yes");
    CHECK(jroute("JROUTE=\"quoted\"") == "quoted");
    CHECK(jroute("a=1;b=2").empty());
    CHECK(jroute("").empty());
    CHECK(jroute("JROUTE").empty());
}

TEST_CASE("the ;jsessionid= path parameter ends at ';' or '/', before the query", "[routing]") {
    auto session = [](std::string_view path) {
        return find_route_sources("", path, "JSESSIONID").session_id;
    };
    CHECK(session("/app;jsessionid=abc:r1") == "abc:r1");
    CHECK(session("/app;JSESSIONID=abc/more") == "abc");
    CHECK(session("/app;jsessionid=abc;other=1?q=1") == "abc");
    CHECK(session("/app?x=;jsessionid=abc").empty());
    CHECK(session("/app;foo").empty());
    CHECK(session("/app").empty());
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

    // The version pin is only found here; its signature is checked when a session starts.
    auto pinned = find_route_sources("a=1; ZDU_PIN=2.0.17.sig; ZDU_PIN=other", "/", "JSESSIONID");
    CHECK(pinned.pin == "2.0.17.sig");
    CHECK(find_route_sources("XZDU_PIN=1", "/", "JSESSIONID").pin.empty());
}

TEST_CASE("a comma separates cookies as a semicolon does", "[routing]") {
    // httpd joins a client's several Cookie lines with ", "; RFC 6265 values hold no comma.
    auto s = find_route_sources("a=1, JROUTE=r2", "/app", "JSESSIONID");
    CHECK(s.jroute == "r2");
    CHECK(find_route_sources("a=1; b=2, c=3, JROUTE=r1", "/", "JSESSIONID").jroute == "r1");
    CHECK(find_route_sources("JROUTE=r2, JROUTE=r1", "/", "JSESSIONID").jroute == "r2");
    auto session =
        find_route_sources("x=1, JSESSIONID=id.r3, JREPLICA=i2,ZDU_PIN=p", "/", "JSESSIONID");
    CHECK(session.session_id == "id.r3");
    CHECK(session.tomcat_route == "r3");
    CHECK(session.replica == "i2");
    CHECK(session.pin == "p");
    CHECK(find_route_sources("JSESSIONID=0000a:c1:c2, b=1", "/", "JSESSIONID").websphere_ids ==
          "c1:c2");
    CHECK(find_route_sources("JROUTE=,a=1", "/", "JSESSIONID").jroute.empty());
}

TEST_CASE("a Tomcat .jvmRoute in the jsessionid path parameter is a route", "[routing]") {
    // Tomcat's URL rewriting, for a browser without cookies: ";jsessionid=<id>.<jvmRoute>".
    auto path = find_route_sources("other=1", "/app/x;jsessionid=abc.r2/y", "JSESSIONID");
    CHECK(path.session_id == "abc.r2");
    CHECK(path.tomcat_route == "r2");
    CHECK(path.path_route.empty());
    // The session cookie, when there is one, is the session id and gives the suffix.
    auto both = find_route_sources("JSESSIONID=def.r1", "/app;jsessionid=abc.r2", "JSESSIONID");
    CHECK(both.tomcat_route == "r1");
    auto glassfish = find_route_sources("", "/app;jsessionid=a.b:r3", "JSESSIONID");
    CHECK(glassfish.path_route == "r3");
    CHECK(glassfish.tomcat_route == "b:r3");  // no route has a ':': it names none
}

TEST_CASE("a comma inside a quoted cookie value does not end the cookie", "[routing]") {
    // RFC 6265 allows no comma even in a quoted value, but servers set such ids: the quotes
    // hold the value together, as they did before ',' ended a cookie.
    auto s = find_route_sources("JSESSIONID=\"a,b.r2\"; JROUTE=r1", "/", "JSESSIONID");
    CHECK(s.session_id == "a,b.r2");
    CHECK(s.tomcat_route == "r2");
    CHECK(s.jroute == "r1");
    CHECK(find_route_sources("JSESSIONID=\"a,b.r2\"", "/", "JSESSIONID").tomcat_route == "r2");
    // A JROUTE inside another cookie's quoted value is no cookie; the lines after it count.
    CHECK(find_route_sources("x=\"1,JROUTE=r9,\", JROUTE=r2", "/", "JSESSIONID").jroute == "r2");
    CHECK(find_route_sources("x=\"1,JROUTE=r9\"", "/", "JSESSIONID").jroute.empty());
    // A quote left open (a broken client) swallows nothing: ',' and ';' end its pair as usual.
    auto open = find_route_sources("JSESSIONID=\"abc, JROUTE=r2", "/", "JSESSIONID");
    CHECK(open.jroute == "r2");
    CHECK(open.session_id == "\"abc");
    CHECK(find_route_sources("a=\"x;JROUTE=r2", "/", "JSESSIONID").jroute == "r2");
    // A quote inside a value, not at its start, quotes nothing.
    CHECK(find_route_sources("a=x\"y,JROUTE=r2,\"", "/", "JSESSIONID").jroute == "r2");
}

TEST_CASE("Set-Cookie attributes a broken client sends back are no cookies", "[routing]") {
    auto s = find_route_sources(
        "JSESSIONID=id.r1; Expires=Thu, 01 Jan 2026 00:00:00 GMT; "
        "Path=/, JROUTE=r2",
        "/", "JSESSIONID");
    CHECK(s.session_id == "id.r1");
    CHECK(s.tomcat_route == "r1");
    CHECK(s.jroute == "r2");
    // An Expires "value" that looks like a route or a cookie names nothing.
    auto e = find_route_sources("Expires=Thu, JROUTE, 01 Jan 2026", "/", "JSESSIONID");
    CHECK(e.jroute.empty());
    CHECK(e.session_id.empty());
}
