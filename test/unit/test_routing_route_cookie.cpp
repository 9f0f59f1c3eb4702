// When the response filter sets, expires or leaves the JROUTE cookie.
#include <catch2/catch.hpp>

#include "routing/route_cookie.hpp"

using zdu::routing::route_cookie_action;
using zdu::routing::RouteCookieAction;
using zdu::routing::RouteCookieFacts;

namespace {

RouteCookieFacts served_by_r1() {
    RouteCookieFacts f;
    f.routed = true;
    f.route = "r1";
    return f;
}

}  // namespace

TEST_CASE("a new session gets the route cookie", "[routing]") {
    RouteCookieFacts f = served_by_r1();
    CHECK(route_cookie_action(f) == RouteCookieAction::Keep);
    f.session_created = true;
    CHECK(route_cookie_action(f) == RouteCookieAction::Set);
    f.client_jroute = "r1";
    CHECK(route_cookie_action(f) == RouteCookieAction::Set);
}

TEST_CASE("a moved session or a stale JROUTE gets the new route", "[routing]") {
    RouteCookieFacts moved = served_by_r1();
    moved.moved = true;
    CHECK(route_cookie_action(moved) == RouteCookieAction::Set);

    RouteCookieFacts stale = served_by_r1();
    stale.client_jroute = "r2";
    CHECK(route_cookie_action(stale) == RouteCookieAction::Set);
    stale.client_jroute = "r1";
    CHECK(route_cookie_action(stale) == RouteCookieAction::Keep);
}

TEST_CASE("a logout expires the route cookie the client has", "[routing]") {
    RouteCookieFacts f = served_by_r1();
    f.session_deleted = true;
    CHECK(route_cookie_action(f) == RouteCookieAction::Keep);  // nothing to expire
    f.client_jroute = "r1";
    CHECK(route_cookie_action(f) == RouteCookieAction::Expire);
    f.client_jroute = "r2";  // stale and logging out: still expired, not re-pointed
    CHECK(route_cookie_action(f) == RouteCookieAction::Expire);
    f.session_created = true;  // deleted and created again: a new session
    CHECK(route_cookie_action(f) == RouteCookieAction::Set);
}

TEST_CASE("the backend's own JROUTE and unrouted requests are left alone", "[routing]") {
    RouteCookieFacts f = served_by_r1();
    f.session_created = true;
    f.moved = true;
    f.client_jroute = "r2";
    f.backend_set_jroute = true;
    CHECK(route_cookie_action(f) == RouteCookieAction::Keep);
    f.backend_set_jroute = false;
    f.routed = false;
    CHECK(route_cookie_action(f) == RouteCookieAction::Keep);
    f.routed = true;
    f.session_deleted = true;
    f.session_created = false;
    f.backend_set_jroute = true;
    CHECK(route_cookie_action(f) == RouteCookieAction::Keep);
}
