// The adaptive new-session policy (policy="adaptive", a mod_zdu extension): sends new sessions
// to the instance with the least live load as mod_proxy sees it (requests in flight, recent
// response time), whatever runs behind it — the backend-agnostic counterpart of mod_cluster's
// load factor, which needs an agent in every backend.
#pragma once

#include <cstdint>
#include <vector>

#include "config/model.hpp"
#include "routing/new_session_policy.hpp"

namespace zdu::routing {

// Power of two choices: two instances drawn at random from the weighted schedule; the second
// wins only when clearly less loaded (its cost × 1.25 still below the first's), else the first
// stays. Two draws are O(1) whatever the cluster size, yet steer clearly away from a loaded
// instance; always taking the least loaded of all would also send each burst of new sessions to
// the same instance before its load shows.
//
// Weights count once, in the draw: a cluster under even load splits new sessions by weight,
// and uneven load moves sessions away from that split. Dividing the cost by the weight as well
// would count them twice (at rest, weights 1:3 would split 1:15).
class AdaptivePolicy final : public NewSessionPolicy {
  public:
    // Builds its own weighted schedule: the cluster's schedule weighs instances only under
    // weighted-round-robin.
    explicit AdaptivePolicy(const config::Cluster& cluster);

    int pick(const ClusterRoutes& routes, const PolicyRequest& request,
             FunctionRef<bool(int)> takes, FunctionRef<InstanceLoad(int)> load) override;

    const std::vector<int>& schedule() const { return schedule_; }

  private:
    int draw(FunctionRef<bool(int)> takes, int other) const;
    int scan(FunctionRef<bool(int)> takes) const;

    std::vector<int> schedule_;
};

// The load of an instance, lower is better: (busy + 1) × response time. `peer_response_us`
// stands in for an unknown (0) response time, so an instance without samples yet competes on
// its requests in flight alone instead of looking infinitely fast and drawing every session.
double adaptive_cost(const InstanceLoad& load, std::uint64_t peer_response_us);

}  // namespace zdu::routing
