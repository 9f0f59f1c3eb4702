// The route decision for one request: stay with the session's instance while it may take the
// request, else pick one for a new (or moved) session by weighted round-robin.
#pragma once

#include <atomic>
#include <cstdint>

#include "routing/cluster_routes.hpp"
#include "routing/failover.hpp"
#include "routing/function_ref.hpp"
#include "routing/session_route.hpp"
#include "routing/version.hpp"

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
    // Stale: the session's instance is retired (removed, or its drain deadline passed) and no
    // replica of its version holds it; instance is -1 and the caller applies the web-module's
    // stale-session action.
    enum class Kind { Sticky, New, Moved, None, Stale };
    Kind kind = Kind::None;
    int instance = -1;    // -1 with Kind::None and Kind::Stale
    int named = -1;       // the instance the request named, if any; not looked up (-1) when the
                          // session table gave the session's home, or the session ended
    int version = -1;     // index into ClusterRoutes::versions() of the chosen (or stale) instance
    bool canary = false;  // a new session placed on the canary by its share or by a pin
};

// What an instance may do now, as the caller's view of health, config and admin state says.
//   serves(i): take requests of sessions it already has (usable, quiesce deadline not passed)
//   takes(i):  take sessions it has not seen (usable, enabled, weight > 0)
//   pick():    the new-session policy: an instance takes() accepts, or -1
// consistent_failover: the preferred-failover-instance property.
// Version-blind: the route is trusted as the session's home and new sessions go to any version;
// the overloads below take the session table, the version plan and the side door into account.
template <class Serves, class Takes, class Pick>
Decision decide_with(const ClusterRoutes& routes, const RouteSources& sources, Serves&& serves,
                     Takes&& takes, Pick&& pick, bool consistent_failover) {
    Decision d;
    d.named = named_instance(routes, sources);
    if (d.named >= 0 && serves(d.named)) {
        d.kind = Decision::Kind::Sticky;
        d.instance = d.named;
        d.version = routes.version_of(d.named);
        return d;
    }
    if (d.named >= 0) {
        d.instance = failover_target(routes, sources, d.named, consistent_failover, serves, takes);
    }
    if (d.instance < 0) d.instance = pick();
    if (d.instance >= 0) d.kind = d.named >= 0 ? Decision::Kind::Moved : Decision::Kind::New;
    if (d.instance >= 0) d.version = routes.version_of(d.instance);
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

// ---- Version-aware routing (session table facts, version plan, side door) ----

// What the session table says of the request's session.
struct SessionFacts {
    int home = -1;                // the instance the table binds the session to; -1: unknown
    bool ended = false;           // the table saw it end: a new session, whatever the route says
    bool has_session_id = false;  // the request carries the cluster's session cookie
};

// An operator's request for a version or an instance (trusted clients only; the glue decides).
struct SideDoor {
    int instance = -1;  // >= 0: this instance whenever usable, even disabled
    int version = -1;   // >= 0: new sessions of this version, on any usable instance of it
};

struct RouteInputs {
    SessionFacts session;
    SideDoor side_door;
    const VersionPlan* plan = nullptr;  // nullptr: the cluster's own, ClusterRoutes::plan()
    int pinned_version = -1;            // the version a valid pin names; -1: no pin
    // The cluster's count of new sessions drawn for the canary share; nullptr: no canary draws.
    std::atomic<std::uint64_t>* canary_draws = nullptr;
    bool stale_failover = false;      // stale-session="failover": a retired home fails over instead
    bool consistent_failover = true;  // the preferred-failover-instance property
};

// The caller's view of each instance.
//   serves(i):  may take requests of sessions it already has
//   takes(i):   may take sessions it has not seen
//   usable(i):  reachable at all (the side door's test: disabled instances count)
//   retired(i): removed from the config or past its drain deadline: its sessions are gone
struct InstanceView {
    FunctionRef<bool(int)> serves;
    FunctionRef<bool(int)> takes;
    FunctionRef<bool(int)> usable;
    FunctionRef<bool(int)> retired;
};

// A round-robin position the router already knows for a pick: the ordinal of the new session
// among those of the canary share (or of the rest). kNoTurn: the picker uses its own counter.
constexpr std::uint64_t kNoTurn = ~std::uint64_t{0};

// Picks a new session's instance within `version`: one for which ok(i) holds (ok already
// tests the version), or -1.
using VersionPick = FunctionRef<int(int version, FunctionRef<bool(int)> ok, std::uint64_t turn)>;

// The next instance of version's weighted round-robin schedule that ok() accepts; `turn`
// (or, when kNoTurn, the shared counter) sets the position. O(1) unless many are refused.
// A pick that finds none gives its turn of the counter back.
int round_robin_pick(const ClusterRoutes& routes, std::atomic<std::uint64_t>& counter, int version,
                     FunctionRef<bool(int)> ok, std::uint64_t turn);

// The new-session version: the named active-version while one of its instances takes new
// sessions, else the highest version (other than a running canary's) with such an instance,
// else the canary's; -1 when no instance takes new sessions.
int active_version(const ClusterRoutes& routes, const VersionPlan& plan,
                   FunctionRef<bool(int)> takes);

// Whether the n-th draw (from 0) of a `percent` share lands in it: exactly percent of every 100
// consecutive draws do, spread out.
inline bool in_share(std::uint64_t n, int percent) {
    const auto p = static_cast<std::uint64_t>(percent);
    return (n + 1) * p / 100 > n * p / 100;
}

// The full decision. Sessions: ended -> new; the home is the table's, else the named instance
// when the request has a session id, else the named instance only if it takes new sessions (a
// route cookie alone starts nothing on an instance that takes none). A home that serves ->
// Sticky. Else its replica or a consistent pick among instances of its version, then the
// version-blind failover; a retired home without a same-version replica -> Stale unless
// in.stale_failover. New sessions: side-door version, pin (while that version is the running
// canary), canary share, active version; then `pick` within that version.
Decision decide_with(const ClusterRoutes& routes, const RouteSources& sources,
                     const RouteInputs& in, const InstanceView& view, VersionPick pick);

// decide_with() picking by each version's weighted round-robin schedule.
Decision decide(const ClusterRoutes& routes, const RouteSources& sources, const RouteInputs& in,
                const InstanceView& view, std::atomic<std::uint64_t>& counter);

}  // namespace zdu::routing
