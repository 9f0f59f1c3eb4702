// Whether a response sets, expires or leaves the JROUTE cookie: a pure decision over what the
// response filter saw (the backend's Set-Cookie headers, the routing decision, the client's
// JROUTE), so the filter only gathers these facts and applies the answer.
#pragma once

#include <string_view>

namespace zdu::routing {

struct RouteCookieFacts {
    bool routed = false;              // the request went to an instance of the cluster
    bool moved = false;               // its session moved to that instance (failover)
    bool backend_set_jroute = false;  // the backend set JROUTE itself: it knows best
    bool session_created = false;     // the backend set the session cookie
    bool session_deleted = false;     // the backend expired the session cookie (logout)
    std::string_view client_jroute;   // the JROUTE the request carried; empty when none
    std::string_view route;           // the route of the instance that served it
};

enum class RouteCookieAction {
    Keep,    // add nothing
    Set,     // Set-Cookie: JROUTE=<route>
    Expire,  // Set-Cookie: JROUTE=; Max-Age=0
};

// Set when the response starts a session, when the session moved, or when the client's JROUTE
// names another instance (stale); Expire on a logout that starts no new session, when the
// client has a JROUTE to drop; Keep otherwise, and always when the backend set JROUTE.
RouteCookieAction route_cookie_action(const RouteCookieFacts& facts);

}  // namespace zdu::routing
