// The version-aware router: active version, canary share and pin, failover inside the version,
// the session table's facts, stale sessions and the side door.
#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>

#include "config/model.hpp"
#include "loopback_instance.hpp"
#include "routing/adaptive_policy.hpp"
#include "routing/cluster_routes.hpp"
#include "routing/router.hpp"

using namespace zdu;
using Kind = routing::Decision::Kind;

namespace {

// Version 1.9: a1 a2; version 1.10: b1 b2; no domains unless a test sets them.
config::Cluster two_versions() {
    config::Cluster c;
    c.name = "shop";
    for (auto [name, version] :
         {std::pair{"a1", "1.9"}, {"a2", "1.9"}, {"b1", "1.10"}, {"b2", "1.10"}}) {
        c.instances.push_back(loopback_instance(name));
        c.instances.back().version = version;
    }
    return c;
}

// Which instances serve, take, are usable and retired: everything yes unless a test says no.
struct World {
    std::set<int> not_serving, not_taking, not_usable, retired;
    int serves_calls = 0, takes_calls = 0;

    bool serves(int i) {
        ++serves_calls;
        return !not_serving.count(i) && !not_usable.count(i);
    }
    bool takes(int i) {
        ++takes_calls;
        return !not_taking.count(i) && serves(i);
    }
    bool usable(int i) const { return !not_usable.count(i); }
    bool is_retired(int i) const { return retired.count(i) > 0; }
};

struct Fixture {
    config::Cluster cluster;
    routing::ClusterRoutes routes;
    World world;
    std::atomic<std::uint64_t> counter{0};
    std::atomic<std::uint64_t> draws{0};

    explicit Fixture(config::Cluster c = two_versions()) : cluster(std::move(c)), routes(cluster) {}

    int index(const std::string& name) const { return routes.find_name(name); }
    int version(const std::string& text) const { return routes.find_version(text); }

    routing::Decision decide(const routing::RouteSources& sources, routing::RouteInputs in = {}) {
        auto serves = [&](int i) { return world.serves(i); };
        auto takes = [&](int i) { return world.takes(i); };
        auto usable = [&](int i) { return world.usable(i); };
        auto retired = [&](int i) { return world.is_retired(i); };
        routing::InstanceView view{serves, takes, usable, retired};
        if (in.canary_draws == nullptr) in.canary_draws = &draws;
        return routing::decide(routes, sources, in, view, counter);
    }
    routing::Decision fresh(routing::RouteInputs in = {}) { return decide({}, in); }

    // A request naming `name` by its JROUTE, with session id `id` (may be empty).
    routing::RouteSources named(const std::string& name, std::string_view id = "s1") const {
        routing::RouteSources s;
        s.jroute = routes.route(index(name));
        s.session_id = id;
        return s;
    }
};

routing::RouteInputs with_session(int home = -1, bool has_id = true) {
    routing::RouteInputs in;
    in.session.home = home;
    in.session.has_session_id = has_id;
    return in;
}

}  // namespace

TEST_CASE("new sessions go to the highest version that takes them", "[routing][versions]") {
    Fixture f;
    std::map<std::string, int> hits;
    for (int k = 0; k < 100; ++k) {
        auto d = f.fresh();
        REQUIRE(d.kind == Kind::New);
        CHECK(d.version == f.version("1.10"));  // "1.10" > "1.9"
        CHECK_FALSE(d.canary);
        ++hits[f.cluster.instances[d.instance].name];
    }
    CHECK(hits["b1"] == 50);
    CHECK(hits["b2"] == 50);
    // v2 takes none (e.g. not yet passed a health check): v1 takes them.
    f.world.not_taking = {f.index("b1"), f.index("b2")};
    CHECK(f.fresh().version == f.version("1.9"));
    f.world.not_taking = {0, 1, 2, 3};
    CHECK(f.fresh().kind == Kind::None);
}

TEST_CASE("a named active version wins while it takes new sessions", "[routing][versions]") {
    auto c = two_versions();
    c.active_version = "1.9";  // a rollback
    Fixture f(c);
    for (int k = 0; k < 10; ++k) CHECK(f.fresh().version == f.version("1.9"));
    // Nothing of 1.9 takes sessions: the highest version that does.
    f.world.not_taking = {f.index("a1"), f.index("a2")};
    CHECK(f.fresh().version == f.version("1.10"));
    // A plan from the caller overrides the cluster's.
    f.world.not_taking.clear();
    routing::VersionPlan plan;
    plan.active = f.version("1.10");
    routing::RouteInputs in;
    in.plan = &plan;
    CHECK(f.fresh(in).version == f.version("1.10"));
}

TEST_CASE("active_version skips a running canary", "[routing][versions]") {
    Fixture f;
    auto takes = [&](int i) { return f.world.takes(i); };
    routing::VersionPlan plan;
    plan.canary = f.version("1.10");
    plan.canary_percent = 10;
    CHECK(routing::active_version(f.routes, plan, takes) == f.version("1.9"));
    f.world.not_taking = {f.index("a1"), f.index("a2")};
    CHECK(routing::active_version(f.routes, plan, takes) == f.version("1.10"));
    plan.canary_percent = 0;
    f.world.not_taking.clear();
    CHECK(routing::active_version(f.routes, plan, takes) == f.version("1.10"));
}

TEST_CASE("the canary takes its exact share of new sessions", "[routing][versions]") {
    auto c = two_versions();
    c.canary_version = "1.10";
    c.canary_percent = 10;
    Fixture f(c);
    int canary = 0;
    std::map<int, int> canary_hits, active_hits;
    for (int k = 0; k < 1000; ++k) {
        auto d = f.fresh();
        REQUIRE(d.instance >= 0);
        CHECK(d.canary == (d.version == f.version("1.10")));
        if (d.canary) {
            ++canary;
            ++canary_hits[d.instance];
        } else {
            CHECK(d.version == f.version("1.9"));
            ++active_hits[d.instance];
        }
        // Exact after every hundred draws, not just in the end.
        if ((k + 1) % 100 == 0) CHECK(canary == (k + 1) / 10);
    }
    CHECK(canary == 100);
    CHECK(f.draws.load() == 1000);
    // Each side's own round-robin: the canary share spreads over both canary instances.
    CHECK(canary_hits[f.index("b1")] == 50);
    CHECK(canary_hits[f.index("b2")] == 50);
    CHECK(active_hits[f.index("a1")] == 450);
    CHECK(active_hits[f.index("a2")] == 450);
}

TEST_CASE("the share is exact for any percent", "[routing][versions]") {
    for (int p : {0, 1, 3, 33, 50, 99, 100}) {
        int in = 0;
        for (std::uint64_t n = 0; n < 1000; ++n) in += routing::in_share(n, p) ? 1 : 0;
        INFO(p);
        CHECK(in == p * 10);
    }
}

TEST_CASE("a canary that takes none sends its share to the active version", "[routing][versions]") {
    auto c = two_versions();
    c.canary_version = "1.10";
    c.canary_percent = 50;
    Fixture f(c);
    f.world.not_taking = {f.index("b1"), f.index("b2")};
    for (int k = 0; k < 20; ++k) {
        auto d = f.fresh();
        CHECK(d.version == f.version("1.9"));
        CHECK_FALSE(d.canary);
    }
}

TEST_CASE("a pin is honoured only while its version is the canary", "[routing][versions]") {
    auto c = two_versions();
    c.canary_version = "1.10";
    c.canary_percent = 1;
    Fixture f(c);
    routing::RouteInputs pinned;
    pinned.pinned_version = f.version("1.10");
    for (int k = 0; k < 20; ++k) {
        auto d = f.fresh(pinned);
        CHECK(d.version == f.version("1.10"));
        CHECK(d.canary);  // the glue renews the pin
    }
    CHECK(f.draws.load() == 0);  // pinned sessions are not part of the share

    // A pin naming the active version is no pin.
    routing::RouteInputs old_pin;
    old_pin.pinned_version = f.version("1.9");
    CHECK_FALSE(f.fresh(old_pin).canary);

    // The canary ended (percent 0): the pin means nothing, the active version is 1.10 now.
    auto ended = two_versions();
    ended.active_version = "1.9";
    ended.canary_version = "1.10";
    Fixture g(ended);
    routing::RouteInputs still_pinned;
    still_pinned.pinned_version = g.version("1.10");
    auto d = g.fresh(still_pinned);
    CHECK(d.version == g.version("1.9"));
    CHECK_FALSE(d.canary);
}

TEST_CASE("failover keeps the session's version", "[routing][versions]") {
    auto c = two_versions();
    c.instances[0].domain = c.instances[2].domain = "rack";  // a1 and b1 share a domain
    Fixture f(c);
    const int a1 = f.index("a1"), a2 = f.index("a2");
    f.world.not_serving = {a1};
    for (int s = 0; s < 50; ++s) {
        std::string id = "session-" + std::to_string(s);
        auto d = f.decide(f.named("a1", id), with_session(a1));
        REQUIRE(d.kind == Kind::Moved);
        CHECK(d.instance == a2);  // not b1, though b1 is in a1's domain
        CHECK(d.version == f.version("1.9"));
    }
    // A replica of the other version is not preferred over one of the same version.
    auto src = f.named("a1");
    src.replica = "b1";
    CHECK(f.decide(src, with_session(a1)).instance == a2);
    // A same-version replica is taken.
    src.replica = "a2";
    CHECK(f.decide(src, with_session(a1)).instance == a2);
    // No instance of its version is left: the version-blind order.
    f.world.not_serving = {a1, a2};
    src.replica = "b1";
    CHECK(f.decide(src, with_session(a1)).instance == f.index("b1"));
}

TEST_CASE("without consistent failover the pick stays in the version", "[routing][versions]") {
    Fixture f;
    const int a1 = f.index("a1");
    f.world.not_serving = {a1};
    auto in = with_session(a1);
    in.consistent_failover = false;
    for (int k = 0; k < 10; ++k) CHECK(f.decide(f.named("a1"), in).instance == f.index("a2"));
}

TEST_CASE("session facts decide what a route means", "[routing][versions]") {
    Fixture f;
    const int a1 = f.index("a1");
    SECTION("ended: a new session on the active version whatever the route") {
        auto in = with_session(a1);
        in.session.ended = true;
        auto d = f.decide(f.named("a1"), in);
        CHECK(d.kind == Kind::New);
        CHECK(d.version == f.version("1.10"));
        CHECK(d.named == a1);
    }
    SECTION("a route alone never starts a session on an instance that takes none") {
        f.world.not_taking = {a1};  // disabled: still serves its own sessions
        for (int k = 0; k < 10; ++k) {
            auto d = f.decide(f.named("a1", ""), with_session(-1, false));
            CHECK(d.kind == Kind::New);
            CHECK(d.instance != a1);
        }
        // With a session cookie the route is trusted (the table may not know the session).
        CHECK(f.decide(f.named("a1"), with_session(-1, true)).kind == Kind::Sticky);
    }
    SECTION("a route alone to an instance that takes sessions stays there") {
        auto d = f.decide(f.named("a1", ""), with_session(-1, false));
        CHECK(d.kind == Kind::Sticky);
        CHECK(d.instance == a1);
    }
    SECTION("the table's home wins without a route, and over a route") {
        auto d = f.decide({}, with_session(a1));
        CHECK(d.kind == Kind::Sticky);
        CHECK(d.instance == a1);
        CHECK(d.version == f.version("1.9"));
        CHECK(f.decide(f.named("b1"), with_session(a1)).instance == a1);
    }
}

TEST_CASE("a sticky request asks one predicate once", "[routing][versions]") {
    Fixture f;
    f.world.serves_calls = f.world.takes_calls = 0;
    auto d = f.decide({}, with_session(f.index("a2")));
    CHECK(d.kind == Kind::Sticky);
    CHECK(f.world.serves_calls == 1);
    CHECK(f.world.takes_calls == 0);
}

TEST_CASE("a retired home without a same-version replica is stale", "[routing][versions]") {
    Fixture f;
    const int a1 = f.index("a1"), a2 = f.index("a2");
    f.world.not_serving = {a1};
    f.world.retired = {a1};
    auto d = f.decide(f.named("a1"), with_session(a1));
    CHECK(d.kind == Kind::Stale);
    CHECK(d.instance == -1);
    CHECK(d.version == f.version("1.9"));
    // stale-session="failover": the caller asks again and gets the failover pick.
    auto in = with_session(a1);
    in.stale_failover = true;
    d = f.decide(f.named("a1"), in);
    CHECK(d.kind == Kind::Moved);
    CHECK(d.instance == a2);
    // A same-version replica that serves holds the session: no stale.
    auto src = f.named("a1");
    src.replica = "a2";
    CHECK(f.decide(src, with_session(a1)).kind == Kind::Moved);
    // A replica of another version does not.
    src.replica = "b2";
    CHECK(f.decide(src, with_session(a1)).kind == Kind::Stale);
    // Not retired (just down): an ordinary failover.
    f.world.retired.clear();
    CHECK(f.decide(f.named("a1"), with_session(a1)).kind == Kind::Moved);
}

TEST_CASE("the side door reaches an instance or a version before it takes traffic",
          "[routing][versions]") {
    Fixture f;
    const int b1 = f.index("b1"), b2 = f.index("b2");
    f.world.not_taking = {b1, b2};  // added disabled
    f.world.not_serving = {b1, b2};
    CHECK(f.fresh().version == f.version("1.9"));

    routing::RouteInputs door;
    door.side_door.instance = b2;
    auto d = f.fresh(door);
    CHECK(d.kind == Kind::New);
    CHECK(d.instance == b2);
    CHECK(d.version == f.version("1.10"));
    // Even over a session elsewhere; Sticky when the session is there.
    door.session.home = f.index("a1");
    CHECK(f.decide({}, door).instance == b2);
    door.session.home = b2;
    CHECK(f.decide({}, door).kind == Kind::Sticky);

    routing::RouteInputs by_version;
    by_version.side_door.version = f.version("1.10");
    d = f.fresh(by_version);
    CHECK(d.version == f.version("1.10"));
    CHECK_FALSE(d.canary);

    // An unusable instance is not reached; routing goes on as usual.
    f.world.not_usable = {b1, b2};
    CHECK(f.fresh(door).version == f.version("1.9"));
    CHECK(f.fresh(by_version).version == f.version("1.9"));
}

TEST_CASE("today's decide() stays version-blind", "[routing][versions]") {
    Fixture f;
    auto takes = [](int) { return true; };
    std::set<int> seen;
    for (int k = 0; k < 8; ++k) {
        auto d = routing::decide(f.routes, {}, f.counter, takes, takes);
        seen.insert(d.instance);
        CHECK(d.version == f.routes.version_of(d.instance));
    }
    CHECK(seen.size() == 4);
}

TEST_CASE("a policy's takes() is narrowed to the version", "[routing][versions]") {
    auto c = two_versions();
    c.policy = config::Policy::Adaptive;
    c.active_version = "1.9";
    Fixture f(c);
    routing::AdaptivePolicy policy(f.cluster);
    auto serves = [&](int i) { return f.world.serves(i); };
    auto takes = [&](int i) { return f.world.takes(i); };
    auto usable = [&](int i) { return f.world.usable(i); };
    auto retired = [&](int i) { return f.world.is_retired(i); };
    routing::InstanceView view{serves, takes, usable, retired};
    auto load = [&](int i) {
        // 1.10 looks idle, 1.9 busy: an unnarrowed policy would pick 1.10.
        routing::InstanceLoad l;
        l.busy = f.routes.version_of(i) == f.version("1.9") ? 50 : 0;
        l.response_time_us = 1000;
        return l;
    };
    auto pick = [&](int, routing::FunctionRef<bool(int)> ok, std::uint64_t) {
        return policy.pick(f.routes, {}, ok, load);
    };
    for (int k = 0; k < 50; ++k) {
        auto d = routing::decide_with(f.routes, {}, {}, view, pick);
        REQUIRE(d.instance >= 0);
        CHECK(d.version == f.version("1.9"));
    }
}

// Round-robin turns when the first version a new session tries takes none.
namespace {

// `count` new sessions, none of them sent to an instance in `not_taking`: who got how many.
std::map<std::string, int> new_sessions(const config::Cluster& cluster,
                                        const std::set<std::string>& not_taking, int count) {
    routing::ClusterRoutes routes(cluster);
    std::atomic<std::uint64_t> counter{0};
    auto takes = [&](int i) { return not_taking.count(cluster.instances[i].name) == 0; };
    auto yes = [](int) { return true; };
    auto no = [](int) { return false; };
    routing::InstanceView view{yes, takes, yes, no};
    std::map<std::string, int> hits;
    for (int k = 0; k < count; ++k) {
        const routing::Decision d = routing::decide(routes, {}, {}, view, counter);
        REQUIRE(d.kind == routing::Decision::Kind::New);
        ++hits[cluster.instances[d.instance].name];
    }
    return hits;
}

int hits_of(const std::map<std::string, int>& hits, const std::string& name) {
    auto it = hits.find(name);
    return it == hits.end() ? 0 : it->second;
}

}  // namespace

TEST_CASE("while the highest version takes none, the next one still takes turns",
          "[routing][versions]") {
    // The highest version's instances failed their health check (or wait for their first):
    // they are in its schedule but take no session.
    const auto hits = new_sessions(two_versions(), {"b1", "b2"}, 100);
    CHECK(hits.count("b1") == 0);
    CHECK(hits.count("b2") == 0);
    CHECK(hits_of(hits, "a1") == 50);
    CHECK(hits_of(hits, "a2") == 50);
}

TEST_CASE("while a named active version takes none, the highest takes turns",
          "[routing][versions]") {
    auto c = two_versions();
    c.active_version = "1.9";  // a rollback whose instances are all down
    const auto hits = new_sessions(c, {"a1", "a2"}, 100);
    CHECK(hits_of(hits, "b1") == 50);
    CHECK(hits_of(hits, "b2") == 50);
}

TEST_CASE("new sessions in the first version tried alternate as before", "[routing][versions]") {
    const auto hits = new_sessions(two_versions(), {}, 100);
    CHECK(hits.size() == 2);
    CHECK(hits_of(hits, "b1") == 50);
    CHECK(hits_of(hits, "b2") == 50);
}
