#include "routing/route_cookie.hpp"

namespace zdu::routing {

RouteCookieAction route_cookie_action(const RouteCookieFacts& f) {
    if (!f.routed || f.backend_set_jroute) return RouteCookieAction::Keep;
    if (f.session_deleted && !f.session_created) {
        return f.client_jroute.empty() ? RouteCookieAction::Keep : RouteCookieAction::Expire;
    }
    const bool stale = !f.client_jroute.empty() && f.client_jroute != f.route;
    if (f.session_created || f.moved || stale) return RouteCookieAction::Set;
    return RouteCookieAction::Keep;
}

}  // namespace zdu::routing
