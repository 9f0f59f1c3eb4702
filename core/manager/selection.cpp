#include "manager/selection.hpp"

#include "config/text.hpp"

namespace zdu::manager {
namespace {

using config::quoted;

Selection failure(int status, std::string error) {
    Selection s;
    s.status = status;
    s.error = std::move(error);
    return s;
}

// The cluster indexes a command looks at: the named one, or all; false when the name is unknown.
bool scope(const std::vector<ClusterView>& clusters, std::string_view cluster,
           std::vector<int>& out) {
    if (!cluster.empty()) {
        int i = find_cluster(clusters, cluster);
        if (i >= 0) out.push_back(i);
        return i >= 0;
    }
    for (std::size_t i = 0; i < clusters.size(); ++i) out.push_back(static_cast<int>(i));
    return true;
}

std::string in_which(std::string_view cluster) {
    return cluster.empty() ? std::string(" in any cluster") : " in cluster " + quoted(cluster);
}

std::string cluster_names(const std::vector<ClusterView>& clusters, const Selection& s) {
    std::string names;
    for (const auto& ref : s.instances) {
        if (!names.empty()) names += ", ";
        names += clusters[ref.cluster].config->name;
    }
    return names;
}

}  // namespace

int find_cluster(const std::vector<ClusterView>& clusters, std::string_view name) {
    for (std::size_t i = 0; i < clusters.size(); ++i) {
        if (clusters[i].config->name == name) return static_cast<int>(i);
    }
    return -1;
}

Selection select_instance(const std::vector<ClusterView>& clusters, std::string_view cluster,
                          std::string_view key) {
    std::vector<int> indexes;
    if (!scope(clusters, cluster, indexes)) return failure(404, "no cluster " + quoted(cluster));
    Selection s;
    for (int ci : indexes) {
        const routing::ClusterRoutes& routes = *clusters[ci].routes;
        int i = routes.find_name(key);
        if (i < 0) i = routes.find(key);
        if (i >= 0) s.instances.push_back({ci, i});
    }
    if (s.instances.empty()) {
        return failure(404, "no instance named or routed " + quoted(key) + in_which(cluster));
    }
    if (s.instances.size() > 1) {
        return failure(409, "instance " + quoted(key) + " is in clusters " +
                                cluster_names(clusters, s) + "; add cluster=");
    }
    return s;
}

Selection select_domain(const std::vector<ClusterView>& clusters, std::string_view cluster,
                        std::string_view domain) {
    // An empty domain would match every instance that has none.
    if (domain.empty()) return failure(400, "empty domain");
    std::vector<int> indexes;
    if (!scope(clusters, cluster, indexes)) return failure(404, "no cluster " + quoted(cluster));
    Selection s;
    for (int ci : indexes) {
        const auto& instances = clusters[ci].config->instances;
        for (std::size_t i = 0; i < instances.size(); ++i) {
            if (instances[i].domain == domain) s.instances.push_back({ci, static_cast<int>(i)});
        }
    }
    if (s.instances.empty()) {
        return failure(404, "no instance has domain " + quoted(domain) + in_which(cluster));
    }
    return s;
}

}  // namespace zdu::manager
