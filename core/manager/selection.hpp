// Which instances a manager command acts on: one instance by name or route id, or every
// instance of a domain, in one named cluster or in all of them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/model.hpp"
#include "routing/cluster_routes.hpp"

namespace zdu::manager {

// A cluster as the selection sees it; indexes into a vector of these are cluster indexes.
struct ClusterView {
    const config::Cluster* config = nullptr;
    const routing::ClusterRoutes* routes = nullptr;
};

struct InstanceRef {
    int cluster = -1;
    int instance = -1;  // index in the cluster's config (and routes)

    bool operator==(const InstanceRef& o) const {
        return cluster == o.cluster && instance == o.instance;
    }
};

struct Selection {
    std::vector<InstanceRef> instances;  // in config order
    int status = 200;                    // 404 (nothing matches) or 409 (ambiguous) on error
    std::string error;

    bool ok() const { return error.empty(); }
};

// Index of the cluster named `name`; -1 when none.
int find_cluster(const std::vector<ClusterView>& clusters, std::string_view name);

// The instance named `key` or, failing that, routed `key`. Without `cluster`, every cluster is
// searched and a key found in more than one is an error (409): acting on the wrong instance is
// worse than asking for cluster=.
Selection select_instance(const std::vector<ClusterView>& clusters, std::string_view cluster,
                          std::string_view key);

// Every instance whose domain is `domain`, in `cluster` or (empty) in all clusters.
Selection select_domain(const std::vector<ClusterView>& clusters, std::string_view cluster,
                        std::string_view domain);

}  // namespace zdu::manager
