#include "mod_zdu/policy/user_defined.hpp"

#include <array>
#include <utility>

#include "routing/router.hpp"

namespace zdu::glue {
namespace {

// Candidates of clusters up to this size live on the request thread's stack (56 bytes each).
constexpr std::size_t kStackCandidates = 64;

zdu_policy_request c_request(const routing::PolicyRequest& r) {
    return {policy_string(r.method), policy_string(r.uri), policy_string(r.client_ip),
            policy_string(r.session_id)};
}

// Room for `n` candidates without a heap allocation per request: the caller's stack buffer,
// or for larger clusters a per-thread vector that grows to the largest cluster the thread has
// served and is then reused (a stack buffer sized for any cluster could overflow a thread's
// stack; a shared buffer would need a lock).
zdu_policy_candidate* candidate_room(std::array<zdu_policy_candidate, kStackCandidates>& local,
                                     std::size_t n) {
    if (n <= local.size()) return local.data();
    thread_local std::vector<zdu_policy_candidate> large;
    if (large.size() < n) large.resize(n);
    return large.data();
}

}  // namespace

UserDefinedPolicy::UserDefinedPolicy(const config::Cluster& cluster,
                                     std::unique_ptr<PolicyModule> module)
    : module_(std::move(module)) {
    names_.reserve(cluster.instances.size());
    for (const auto& inst : cluster.instances) names_.push_back(inst.name);
}

int UserDefinedPolicy::pick(const routing::ClusterRoutes& routes,
                            const routing::PolicyRequest& request,
                            routing::FunctionRef<bool(int)> takes,
                            routing::FunctionRef<routing::InstanceLoad(int)> load) {
    std::array<zdu_policy_candidate, kStackCandidates> local;
    zdu_policy_candidate* candidates = candidate_room(local, routes.size());
    std::size_t n = 0;
    for (int i = 0; i < static_cast<int>(routes.size()); ++i) {
        if (!takes(i)) continue;
        routing::InstanceLoad l = load(i);
        candidates[n++] = {
            policy_string(names_[i]), policy_string(routes.route(i)), i, l.weight, l.busy,
            l.response_time_us};
    }
    if (n == 0) return -1;
    zdu_policy_request c = c_request(request);
    int chosen = module_->choose(c, candidates, n);
    if (chosen >= 0 && static_cast<std::size_t>(chosen) < n) return candidates[chosen].index;
    return fallback(routes, takes);
}

// A module may decline ("no choice") or answer out of range; the session still needs an
// instance.
int UserDefinedPolicy::fallback(const routing::ClusterRoutes& routes,
                                routing::FunctionRef<bool(int)> takes) {
    return routing::pick_new(routes, fallback_counter_, takes);
}

}  // namespace zdu::glue
