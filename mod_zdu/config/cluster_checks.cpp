#include "mod_zdu/config/cluster_checks.hpp"

#include <exception>

#include "mod_zdu/policy/factory.hpp"
#include "routing/cluster_routes.hpp"

namespace zdu::glue {

// At config time, so `apachectl -t` reports clashes and modules that do not load; a reload
// refuses the same file for the same reasons.
std::string check_clusters(const config::LoadBalancer& lb, apr_pool_t* p) {
    try {
        for (const auto& c : lb.clusters) {
            routing::ClusterRoutes routes(c);
            std::string error;
            make_policy(c, p, error);
            if (!error.empty()) return error;
        }
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

}  // namespace zdu::glue
