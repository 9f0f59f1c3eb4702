#include <atomic>
#include <catch2/catch.hpp>
#include <map>

#include "config/model.hpp"
#include "loopback_instance.hpp"
#include "routing/failover.hpp"
#include "routing/router.hpp"

using namespace zdu;

namespace {

config::Cluster cluster(std::vector<std::pair<std::string, std::string>> name_domain) {
    config::Cluster c;
    c.name = "c1";
    for (auto& [name, domain] : name_domain)
        c.instances.push_back(loopback_instance(name, 100, domain));
    return c;
}

routing::RouteSources session(const routing::ClusterRoutes& routes, int home, std::string& cookie,
                              const std::string& id, const std::string& replica = "") {
    cookie = "JROUTE=" + routes.route(home) + "; JSESSIONID=" + id;
    if (!replica.empty()) cookie += "; JREPLICA=" + replica;
    return routing::find_route_sources(cookie, "/app", "JSESSIONID");
}

auto all_ok = [](int) { return true; };

}  // namespace

TEST_CASE("jump hash stays in range and moves few keys when buckets grow", "[routing][failover]") {
    int moved = 0;
    for (std::uint64_t k = 0; k < 1000; ++k) {
        auto a = routing::jump_hash(k * 7919, 10);
        auto b = routing::jump_hash(k * 7919, 11);
        CHECK(a >= 0);
        CHECK(a < 10);
        if (a != b) {
            ++moved;
            CHECK(b == 10);  // keys only move to the new bucket
        }
    }
    CHECK(moved < 200);
}

TEST_CASE("consistent pick is the same for the same session and spreads sessions",
          "[routing][failover]") {
    std::vector<int> members{0, 1, 2, 3};
    std::map<int, int> hits;
    for (int s = 0; s < 400; ++s) {
        std::string id = "session-" + std::to_string(s);
        int a = routing::consistent_pick(members, id, all_ok);
        CHECK(a == routing::consistent_pick(members, id, all_ok));
        ++hits[a];
    }
    for (int m : members) CHECK(hits[m] > 50);
    CHECK(routing::consistent_pick(members, "", all_ok) == -1);
    CHECK(routing::consistent_pick(members, "x", [](int) { return false; }) == -1);
    CHECK(routing::consistent_pick(members, "x", [](int i) { return i == 2; }) == 2);
}

TEST_CASE("failover prefers the named replica of the same cluster", "[routing][failover]") {
    routing::ClusterRoutes routes(cluster({{"i1", ""}, {"i2", ""}, {"i3", ""}}));
    std::string cookie;
    auto by_name = session(routes, 0, cookie, "abc", "i3");
    CHECK(routing::failover_target(routes, by_name, 0, true, all_ok, all_ok) == 2);
    std::string cookie2;
    auto by_route = session(routes, 0, cookie2, "abc", routes.route(1));
    CHECK(routing::failover_target(routes, by_route, 0, true, all_ok, all_ok) == 1);
}

TEST_CASE("a replica that is down, the failed one, or foreign falls back to the hash",
          "[routing][failover]") {
    routing::ClusterRoutes routes(cluster({{"i1", ""}, {"i2", ""}, {"i3", ""}}));
    std::string c1, c2, c3, c4;
    int hashed =
        routing::failover_target(routes, session(routes, 0, c1, "abc"), 0, true, all_ok, all_ok);
    REQUIRE(hashed > 0);
    auto down = [&](int i) { return i != 2; };
    CHECK(routing::failover_target(routes, session(routes, 0, c2, "abc", "i3"), 0, true, down,
                                   down) == (hashed == 2 ? 1 : hashed));
    CHECK(routing::failover_target(routes, session(routes, 0, c3, "abc", "other-cluster-i9"), 0,
                                   true, all_ok, all_ok) == hashed);
    CHECK(routing::failover_target(routes, session(routes, 0, c4, "abc", "i1"), 0, true, all_ok,
                                   all_ok) == hashed);
}

TEST_CASE("consistent failover stays within the failed instance's domain", "[routing][failover]") {
    routing::ClusterRoutes routes(
        cluster({{"a1", "A"}, {"a2", "A"}, {"b1", "B"}, {"b2", "B"}, {"b3", "B"}}));
    for (int s = 0; s < 50; ++s) {
        std::string cookie;
        auto src = session(routes, 0, cookie, "s" + std::to_string(s));
        CHECK(routing::failover_target(routes, src, 0, true, all_ok, all_ok) == 1);
    }
    auto a2_down = [](int i) { return i != 1; };
    std::string cookie;
    int pick = routing::failover_target(routes, session(routes, 0, cookie, "s1"), 0, true, a2_down,
                                        a2_down);
    CHECK(pick >= 2);  // domain exhausted: any other instance
}

TEST_CASE("without preferred-failover-instance the new-session policy decides",
          "[routing][failover]") {
    routing::ClusterRoutes routes(cluster({{"i1", ""}, {"i2", ""}}));
    std::string cookie;
    CHECK(routing::failover_target(routes, session(routes, 0, cookie, "abc"), 0, false, all_ok,
                                   all_ok) == -1);
    std::atomic<std::uint64_t> counter{0};
    auto d = routing::decide(
        routes, session(routes, 0, cookie, "abc"), counter, [](int i) { return i != 0; },
        [](int i) { return i != 0; }, false);
    CHECK(d.kind == routing::Decision::Kind::Moved);
    CHECK(d.instance == 1);
}
