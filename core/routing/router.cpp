#include "routing/router.hpp"

namespace zdu::routing {

int named_instance(const ClusterRoutes& routes, const RouteSources& sources) {
    // Most new sessions carry no route at all: an absent one costs a test, not a call.
    for (std::string_view route : {sources.jroute, sources.path_route, sources.tomcat_route}) {
        if (route.empty()) continue;
        int i = routes.find(route);
        if (i >= 0) return i;
    }
    if (sources.websphere_ids.empty()) return -1;
    int found = -1;
    for_each_clone_id(sources.websphere_ids, [&](std::string_view id) {
        found = routes.find(id);
        return found >= 0;
    });
    return found;
}

namespace {

bool version_takes(const ClusterRoutes& routes, int version, FunctionRef<bool(int)> takes) {
    for (int i : routes.version_members(version)) {
        if (takes(i)) return true;
    }
    return false;
}

// One request's decision; the members are the request's inputs, so the steps below read as
// the rules in router.hpp.
class Decider {
  public:
    Decider(const ClusterRoutes& routes, const RouteSources& sources, const RouteInputs& in,
            const InstanceView& view, VersionPick pick)
        : routes_(routes),
          sources_(sources),
          in_(in),
          view_(view),
          pick_(pick),
          plan_(in.plan ? *in.plan : routes.plan()) {}

    Decision run();

  private:
    int home();
    int same_version_replica(int home) const;
    int same_version_failover(int home) const;
    void new_session(Decision& d, Decision::Kind kind) const;
    int side_door_pick(int version) const;
    void chose(Decision& d, Decision::Kind kind, int instance, bool canary = false) const;
    bool valid_instance(int i) const { return i >= 0 && i < static_cast<int>(routes_.size()); }
    bool valid_version(int v) const {
        return v >= 0 && v < static_cast<int>(routes_.versions().size());
    }

    const ClusterRoutes& routes_;
    const RouteSources& sources_;
    const RouteInputs& in_;
    const InstanceView& view_;
    VersionPick pick_;
    const VersionPlan& plan_;
    // The instance the request's route names: looked up only when the session table gave no
    // home (a sticky request of a known session hashes no route).
    int named_ = -1;
};

Decision Decider::run() {
    Decision d;
    const int home_instance = home();
    d.named = named_;
    const int door = in_.side_door.instance;
    if (valid_instance(door) && view_.usable(door)) {
        chose(d, door == home_instance ? Decision::Kind::Sticky : Decision::Kind::New, door);
        return d;
    }
    if (home_instance < 0) {
        new_session(d, Decision::Kind::New);
        return d;
    }
    // The sticky path: one predicate, no scan of the cluster.
    if (view_.serves(home_instance)) {
        chose(d, Decision::Kind::Sticky, home_instance);
        return d;
    }
    if (int replica = same_version_replica(home_instance); replica >= 0) {
        chose(d, Decision::Kind::Moved, replica);
        return d;
    }
    if (view_.retired(home_instance) && !in_.stale_failover) {
        // Handing the old session id to another instance would mean to another version's
        // app: the caller expires it and sends the user to the entry page instead.
        d.kind = Decision::Kind::Stale;
        d.version = routes_.version_of(home_instance);
        return d;
    }
    int target = same_version_failover(home_instance);
    if (target < 0) {
        target = failover_target(routes_, sources_, home_instance, in_.consistent_failover,
                                 view_.serves, view_.takes);
    }
    if (target >= 0) {
        chose(d, Decision::Kind::Moved, target);
        return d;
    }
    new_session(d, Decision::Kind::Moved);
    return d;
}

int Decider::home() {
    if (valid_instance(in_.session.home) && !in_.session.ended) return in_.session.home;
    named_ = named_instance(routes_, sources_);
    if (in_.session.ended) return -1;
    if (named_ < 0) return -1;
    // A session cookie makes the route the session's best guess (the table may not know it:
    // older than the table, a full table, a restart). A route cookie alone is a leftover of an
    // ended session: it may not start one on an instance that takes none.
    if (in_.session.has_session_id || view_.takes(named_)) return named_;
    return -1;
}

int Decider::same_version_replica(int home) const {
    int replica = routes_.find_name(sources_.replica);
    if (replica < 0) replica = routes_.find(sources_.replica);
    if (replica < 0 || replica == home) return -1;
    if (routes_.version_of(replica) != routes_.version_of(home)) return -1;
    return view_.serves(replica) ? replica : -1;
}

// A session's state may mean nothing to another version: an instance of its own version first.
int Decider::same_version_failover(int home) const {
    const int v = routes_.version_of(home);
    if (!in_.consistent_failover) {
        auto ok = [&](int i) { return i != home && routes_.version_of(i) == v && view_.takes(i); };
        return pick_(v, ok, kNoTurn);
    }
    auto ok = [&](int i) { return i != home && routes_.version_of(i) == v && view_.serves(i); };
    int pick = consistent_pick(routes_.same_domain(home), sources_.session_id, ok);
    if (pick < 0) pick = consistent_pick(routes_.same_version(home), sources_.session_id, ok);
    return pick;
}

void Decider::new_session(Decision& d, Decision::Kind kind) const {
    if (valid_version(in_.side_door.version)) {
        if (int i = side_door_pick(in_.side_door.version); i >= 0) {
            chose(d, kind, i);
            return;
        }
    }
    auto in_version = [&](int v) {
        return [this, v](int i) { return routes_.version_of(i) == v && view_.takes(i); };
    };
    // Without a canary a new session goes to the first version active_version() tries (the
    // plan's active one, else the highest) whenever one of its instances takes it: pick there
    // at once, and ask active_version() only when none does. The same answer, one scan less.
    const int first = valid_version(plan_.active) ? plan_.active : 0;
    if (!plan_.canary_on() && valid_version(first)) {
        auto ok = in_version(first);
        if (int i = pick_(first, ok, kNoTurn); i >= 0) {
            chose(d, kind, i);
            return;
        }
    }
    const int active = active_version(routes_, plan_, view_.takes);
    int version = active;
    std::uint64_t turn = kNoTurn;
    bool canary = false;
    if (plan_.canary_on() && valid_version(plan_.canary) && plan_.canary != active &&
        version_takes(routes_, plan_.canary, view_.takes)) {
        if (in_.pinned_version == plan_.canary) {
            version = plan_.canary;
            canary = true;
        } else if (in_.canary_draws) {
            const std::uint64_t n = in_.canary_draws->fetch_add(1, std::memory_order_relaxed);
            const auto p = static_cast<std::uint64_t>(plan_.canary_percent);
            canary = in_share(n, plan_.canary_percent);
            // Each side's own ordinal, so each side's round-robin turns one step per session
            // (the shared counter would hit the canary at every tenth value only).
            turn = canary ? (n + 1) * p / 100 - 1 : n - n * p / 100;
            if (canary) version = plan_.canary;
        }
    }
    int instance = -1;
    if (version >= 0) {
        auto ok = in_version(version);
        instance = pick_(version, ok, turn);
    }
    if (instance < 0 && canary && active >= 0) {
        canary = false;
        auto ok = in_version(active);
        instance = pick_(active, ok, kNoTurn);
    }
    if (instance >= 0) chose(d, kind, instance, canary);
}

// The side door reaches instances before they take user traffic: usable() instead of takes().
int Decider::side_door_pick(int version) const {
    auto ok = [&](int i) { return routes_.version_of(i) == version && view_.usable(i); };
    if (int i = pick_(version, ok, kNoTurn); i >= 0) return i;
    // The schedules hold only enabled instances; a disabled one is reached in config order.
    for (int i : routes_.version_members(version)) {
        if (view_.usable(i)) return i;
    }
    return -1;
}

void Decider::chose(Decision& d, Decision::Kind kind, int instance, bool canary) const {
    d.kind = kind;
    d.instance = instance;
    d.version = routes_.version_of(instance);
    d.canary = canary;
}

}  // namespace

int round_robin_pick(const ClusterRoutes& routes, std::atomic<std::uint64_t>& counter, int version,
                     FunctionRef<bool(int)> ok, std::uint64_t turn) {
    const auto& schedule = routes.schedule(version);
    const std::size_t n = schedule.size();
    if (n == 0) return -1;
    const bool drawn = turn == kNoTurn;
    std::uint64_t start = drawn ? counter.fetch_add(1, std::memory_order_relaxed) : turn;
    for (std::size_t k = 0; k < n; ++k) {
        int i = schedule[(start + k) % n];
        if (ok(i)) return i;
    }
    // No instance took it: the turn goes back, so a caller that then picks in another version
    // (new_session's first try, a failover's fallback) moves the shared sequence one step per
    // session, not two, which with an even schedule would land every session on one instance.
    if (drawn) counter.fetch_sub(1, std::memory_order_relaxed);
    return -1;
}

int active_version(const ClusterRoutes& routes, const VersionPlan& plan,
                   FunctionRef<bool(int)> takes) {
    const int count = static_cast<int>(routes.versions().size());
    if (plan.active >= 0 && plan.active < count && version_takes(routes, plan.active, takes)) {
        return plan.active;
    }
    // A running canary is never the active version by being the highest: it would take every
    // new session instead of its share.
    const int canary = plan.canary_on() ? plan.canary : -1;
    for (int v = 0; v < count; ++v) {
        if (v != canary && version_takes(routes, v, takes)) return v;
    }
    if (canary >= 0 && canary < count && version_takes(routes, canary, takes)) return canary;
    return -1;
}

Decision decide_with(const ClusterRoutes& routes, const RouteSources& sources,
                     const RouteInputs& in, const InstanceView& view, VersionPick pick) {
    return Decider(routes, sources, in, view, pick).run();
}

Decision decide(const ClusterRoutes& routes, const RouteSources& sources, const RouteInputs& in,
                const InstanceView& view, std::atomic<std::uint64_t>& counter) {
    auto pick = [&](int version, FunctionRef<bool(int)> ok, std::uint64_t turn) {
        return round_robin_pick(routes, counter, version, ok, turn);
    };
    return decide_with(routes, sources, in, view, pick);
}

}  // namespace zdu::routing
