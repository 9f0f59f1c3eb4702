#include "mod_zdu/config/version_plan.hpp"

namespace zdu::glue {

routing::VersionPlan effective_plan(const ClusterRuntime& cluster) {
    const std::uint64_t active = cluster.record->active_version_key.load(std::memory_order_acquire);
    const std::uint64_t canary = cluster.record->canary_override.load(std::memory_order_acquire);
    // The common case, no override: the xml's plan as it is, nothing hashed.
    if (active == 0 && canary == 0) return cluster.routes.plan();
    return routing::apply_overrides(cluster.routes.plan(), cluster.routes.versions(), active,
                                    canary);
}

}  // namespace zdu::glue
