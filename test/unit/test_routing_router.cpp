#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "config/model.hpp"
#include "loopback_instance.hpp"
#include "routing/cluster_routes.hpp"
#include "routing/route_id.hpp"
#include "routing/router.hpp"

using namespace zdu;

namespace {

config::Cluster cluster_of(std::vector<std::pair<std::string, int>> instances,
                           config::Policy policy = config::Policy::WeightedRoundRobin) {
    config::Cluster c;
    c.name = "c1";
    c.policy = policy;
    for (auto& [name, weight] : instances) c.instances.push_back(loopback_instance(name, weight));
    return c;
}

auto always = [](int) { return true; };

}  // namespace

TEST_CASE("route ids are stable, opaque and per cluster", "[routing]") {
    std::string r = routing::derive_route_id("c1", "i1");
    CHECK(r.size() == 8);
    CHECK(r == routing::derive_route_id("c1", "i1"));
    CHECK(r != routing::derive_route_id("c2", "i1"));
    CHECK(r != routing::derive_route_id("c1", "i2"));
    CHECK(routing::is_valid_route_id(r));
    CHECK_FALSE(routing::is_valid_route_id("a.b"));
    CHECK_FALSE(routing::is_valid_route_id("a:b"));
    CHECK_FALSE(routing::is_valid_route_id(""));
}

TEST_CASE("route lookup finds each instance and nothing else", "[routing]") {
    auto c = cluster_of({{"a", 100}, {"b", 100}, {"c", 100}});
    c.instances[2].route = "explicit";
    routing::ClusterRoutes routes(c);
    CHECK(routes.find(routing::derive_route_id("c1", "a")) == 0);
    CHECK(routes.find(routing::derive_route_id("c1", "b")) == 1);
    CHECK(routes.find("explicit") == 2);
    CHECK(routes.find(routing::derive_route_id("c2", "a")) == -1);
    CHECK(routes.find("") == -1);
}

TEST_CASE("duplicate or invalid explicit routes are refused", "[routing]") {
    auto c = cluster_of({{"a", 100}, {"b", 100}});
    c.instances[0].route = "same";
    c.instances[1].route = "same";
    CHECK_THROWS_WITH(routing::ClusterRoutes(c), Catch::Contains("same route id 'same'"));
    c.instances[1].route = "bad.route";
    CHECK_THROWS_WITH(routing::ClusterRoutes(c), Catch::Contains("invalid route id 'bad.route'"));
}

TEST_CASE("weighted schedule follows the weights, evenly spread", "[routing]") {
    auto s = routing::build_schedule({100, 400});
    REQUIRE(s.size() == 5);
    CHECK(std::count(s.begin(), s.end(), 0) == 1);
    CHECK(std::count(s.begin(), s.end(), 1) == 4);

    auto t = routing::build_schedule({1, 1, 2, 0});
    REQUIRE(t.size() == 4);
    CHECK(std::count(t.begin(), t.end(), 3) == 0);
    CHECK(t[0] != t[1]);  // interleaved, not a run of one instance
}

TEST_CASE("huge weight sums are scaled to a bounded schedule", "[routing]") {
    std::vector<int> w;
    for (int i = 0; i < 1000; ++i) w.push_back(1000 + i);
    auto s = routing::build_schedule(w);
    CHECK(s.size() <= routing::kMaxScheduleLength + w.size());
    std::set<int> seen(s.begin(), s.end());
    CHECK(seen.size() == 1000);
}

TEST_CASE("disabled and weight-0 instances take no new sessions", "[routing]") {
    auto c = cluster_of({{"a", 100}, {"b", 0}, {"c", 100}});
    c.instances[2].enabled = false;
    routing::ClusterRoutes routes(c);
    std::atomic<std::uint64_t> counter{0};
    for (int k = 0; k < 20; ++k) CHECK(routing::pick_new(routes, counter, always) == 0);
}

TEST_CASE("round-robin ignores weights other than 0", "[routing]") {
    auto c = cluster_of({{"a", 100}, {"b", 400}}, config::Policy::RoundRobin);
    routing::ClusterRoutes routes(c);
    std::atomic<std::uint64_t> counter{0};
    std::map<int, int> hits;
    for (int k = 0; k < 100; ++k) ++hits[routing::pick_new(routes, counter, always)];
    CHECK(hits[0] == 50);
    CHECK(hits[1] == 50);
}

TEST_CASE("weighted round-robin splits 100/400 as 20/80", "[routing]") {
    routing::ClusterRoutes routes(cluster_of({{"a", 100}, {"b", 400}}));
    std::atomic<std::uint64_t> counter{0};
    std::map<int, int> hits;
    for (int k = 0; k < 1000; ++k) ++hits[routing::pick_new(routes, counter, always)];
    CHECK(hits[0] == 200);
    CHECK(hits[1] == 800);
}

TEST_CASE("unusable instances are skipped; none usable gives -1", "[routing]") {
    routing::ClusterRoutes routes(cluster_of({{"a", 100}, {"b", 100}}));
    std::atomic<std::uint64_t> counter{0};
    for (int k = 0; k < 10; ++k) {
        CHECK(routing::pick_new(routes, counter, [](int i) { return i == 1; }) == 1);
    }
    CHECK(routing::pick_new(routes, counter, [](int) { return false; }) == -1);
}

TEST_CASE("decide: sticky, moved and new", "[routing]") {
    auto c = cluster_of({{"a", 100}, {"b", 100}});
    routing::ClusterRoutes routes(c);
    std::atomic<std::uint64_t> counter{0};
    std::string ra = routes.route(0);
    std::string cookie = "JROUTE=" + ra;
    auto sources = routing::find_route_sources(cookie, "/app", "JSESSIONID");

    auto sticky = routing::decide(routes, sources, counter, always, always);
    CHECK(sticky.kind == routing::Decision::Kind::Sticky);
    CHECK(sticky.instance == 0);

    auto moved = routing::decide(
        routes, sources, counter, [](int i) { return i != 0; }, [](int i) { return i != 0; });
    CHECK(moved.kind == routing::Decision::Kind::Moved);
    CHECK(moved.instance == 1);
    CHECK(moved.named == 0);

    auto fresh = routing::decide(routes, routing::find_route_sources("", "/app", "JSESSIONID"),
                                 counter, always, always);
    CHECK(fresh.kind == routing::Decision::Kind::New);
}

TEST_CASE("route forms are tried in order; foreign routes are no route", "[routing]") {
    auto c = cluster_of({{"a", 100}, {"b", 100}, {"c", 100}});
    routing::ClusterRoutes routes(c);
    std::string ra = routes.route(0), rb = routes.route(1), rc = routes.route(2);
    std::string foreign = routing::derive_route_id("other", "a");
    auto named = [&](const std::string& cookie, const std::string& path) {
        return routing::named_instance(routes,
                                       routing::find_route_sources(cookie, path, "JSESSIONID"));
    };
    CHECK(named("JROUTE=" + ra + "; JSESSIONID=x." + rb, "/app;jsessionid=y:" + rc) == 0);
    CHECK(named("JSESSIONID=x." + rb, "/app;jsessionid=y:" + rc) == 2);
    CHECK(named("JSESSIONID=x." + rb, "/app") == 1);
    CHECK(named("JSESSIONID=0000x:" + foreign + ":" + rc, "/app") == 2);
    CHECK(named("JROUTE=" + foreign, "/app") == -1);
    CHECK(named("JROUTE=" + foreign + "; JSESSIONID=x." + rb, "/app") == 1);
}
