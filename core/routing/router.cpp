#include "routing/router.hpp"

namespace zdu::routing {

int named_instance(const ClusterRoutes& routes, const RouteSources& sources) {
    for (std::string_view route : {sources.jroute, sources.path_route, sources.tomcat_route}) {
        int i = routes.find(route);
        if (i >= 0) return i;
    }
    int found = -1;
    for_each_clone_id(sources.websphere_ids, [&](std::string_view id) {
        found = routes.find(id);
        return found >= 0;
    });
    return found;
}

}  // namespace zdu::routing
