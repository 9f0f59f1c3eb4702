// The route decision for one request: stay with the session's instance while it may take the
// request, else pick one for a new (or moved) session by weighted round-robin.
#pragma once

#include <atomic>
#include <cstdint>

#include "routing/cluster_routes.hpp"
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

// sticky_ok(i): instance i may serve requests of its existing sessions now (usable, quiesce
// deadline not passed); takes_new(i): it may take new sessions.
template <class StickyOk, class TakesNew>
Decision decide(const ClusterRoutes& routes, const RouteSources& sources,
                std::atomic<std::uint64_t>& counter, StickyOk&& sticky_ok, TakesNew&& takes_new) {
    Decision d;
    d.named = named_instance(routes, sources);
    if (d.named >= 0 && sticky_ok(d.named)) {
        d.kind = Decision::Kind::Sticky;
        d.instance = d.named;
        return d;
    }
    d.instance = pick_new(routes, counter, takes_new);
    if (d.instance >= 0) d.kind = d.named >= 0 ? Decision::Kind::Moved : Decision::Kind::New;
    return d;
}

}  // namespace zdu::routing
