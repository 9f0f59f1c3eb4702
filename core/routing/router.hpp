// The route decision for one request: stay with the session's instance while it may take the
// request, else pick one for a new (or moved) session by weighted round-robin.
#pragma once

#include <atomic>
#include <cstdint>

#include "routing/cluster_routes.hpp"
#include "routing/failover.hpp"
#include "routing/session_route.hpp"

namespace zdu::routing {

// The instance the request's route sources name, trying JROUTE, the ;jsessionid= route, the
// Tomcat suffix, then each WebSphere clone id; a route of another cluster counts as none. -1: none.
int named_instance(const ClusterRoutes& routes, const RouteSources& sources);

// Next instance in the cluster's schedule for which takes_new(i) holds; the shared counter makes
// every process and thread take turns in one sequence. -1 when none can take it.
template <class TakesNew>
int pick_new(const ClusterRoutes& routes, std::atomic<std::uint64_t>& counter,
             TakesNew&& takes_new) {
    const auto& schedule = routes.schedule();
    const std::size_t n = schedule.size();
    if (n == 0) return -1;
    std::uint64_t start = counter.fetch_add(1, std::memory_order_relaxed);
    for (std::size_t k = 0; k < n; ++k) {
        int i = schedule[(start + k) % n];
        if (takes_new(i)) return i;
    }
    return -1;
}

struct Decision {
    enum class Kind { Sticky, New, Moved, None };
    Kind kind = Kind::None;
    int instance = -1;  // -1 with Kind::None
    int named = -1;     // the instance the request named, if any
};

// What an instance may do now, as the caller's view of health, config and admin state says.
//   serves(i): take requests of sessions it already has (usable, quiesce deadline not passed)
//   takes(i):  take sessions it has not seen (usable, enabled, weight > 0)
//   pick():    the new-session policy: an instance takes() accepts, or -1
// consistent_failover: the preferred-failover-instance property.
template <class Serves, class Takes, class Pick>
Decision decide_with(const ClusterRoutes& routes, const RouteSources& sources, Serves&& serves,
                     Takes&& takes, Pick&& pick, bool consistent_failover) {
    Decision d;
    d.named = named_instance(routes, sources);
    if (d.named >= 0 && serves(d.named)) {
        d.kind = Decision::Kind::Sticky;
        d.instance = d.named;
        return d;
    }
    if (d.named >= 0) {
        d.instance = failover_target(routes, sources, d.named, consistent_failover, serves, takes);
    }
    if (d.instance < 0) d.instance = pick();
    if (d.instance >= 0) d.kind = d.named >= 0 ? Decision::Kind::Moved : Decision::Kind::New;
    return d;
}

// decide_with() over the cluster's (weighted) round-robin schedule.
template <class Serves, class Takes>
Decision decide(const ClusterRoutes& routes, const RouteSources& sources,
                std::atomic<std::uint64_t>& counter, Serves&& serves, Takes&& takes,
                bool consistent_failover = true) {
    auto pick = [&] { return pick_new(routes, counter, takes); };
    return decide_with(routes, sources, serves, takes, pick, consistent_failover);
}

}  // namespace zdu::routing
