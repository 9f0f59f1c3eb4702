// Finds where a request says which instance its session lives on. Parsing only: no allocation,
// every result is a view into the caller's strings.
#pragma once

#include <string_view>

namespace zdu::routing {

// The route sources of one request, in the order they are tried.
struct RouteSources {
    std::string_view jroute;         // JROUTE cookie value
    std::string_view path_route;     // after the last ':' of a ;jsessionid= path parameter
    std::string_view tomcat_route;   // after the last '.' of session_id
    std::string_view websphere_ids;  // after the first ':' of the session cookie: "clone[:clone…]"
    std::string_view session_id;     // session cookie value, else the ;jsessionid= value
    std::string_view replica;        // JREPLICA cookie, else ;jreplica= path parameter
    std::string_view pin;            // ZDU_PIN cookie (sessions/version_pin.hpp), unchecked
};

RouteSources find_route_sources(std::string_view cookie_header, std::string_view path,
                                std::string_view session_cookie);

// Calls visit(clone_id) for each clone id of a WebSphere suffix until it returns true.
template <class Visit>
bool for_each_clone_id(std::string_view ids, Visit visit) {
    while (!ids.empty()) {
        auto colon = ids.find(':');
        std::string_view id = ids.substr(0, colon);
        if (!id.empty() && visit(id)) return true;
        if (colon == std::string_view::npos) break;
        ids.remove_prefix(colon + 1);
    }
    return false;
}

}  // namespace zdu::routing
