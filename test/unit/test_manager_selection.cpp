#include <catch2/catch.hpp>
#include <memory>
#include <vector>

#include "config/model.hpp"
#include "loopback_instance.hpp"
#include "manager/ping_target.hpp"
#include "manager/selection.hpp"
#include "routing/cluster_routes.hpp"
#include "routing/route_id.hpp"

using namespace zdu;
using manager::InstanceRef;

namespace {

// Two clusters: c1 {a:d1, b:d1, c:d2}, c2 {a:d1, x:-}.
struct Fixture {
    std::vector<config::Cluster> clusters;
    std::vector<std::unique_ptr<routing::ClusterRoutes>> routes;
    std::vector<manager::ClusterView> views;

    Fixture() {
        clusters.resize(2);
        clusters[0].name = "c1";
        clusters[0].instances = {loopback_instance("a", 100, "d1"),
                                 loopback_instance("b", 100, "d1"),
                                 loopback_instance("c", 100, "d2")};
        clusters[1].name = "c2";
        clusters[1].instances = {loopback_instance("a", 100, "d1"), loopback_instance("x")};
        clusters[1].instances[1].route = "routex";
        for (const auto& c : clusters) {
            routes.push_back(std::make_unique<routing::ClusterRoutes>(c));
            views.push_back({&c, routes.back().get()});
        }
    }
};

}  // namespace

TEST_CASE("an instance is found by name or route, in one cluster or all", "[manager]") {
    Fixture f;
    auto by_name = manager::select_instance(f.views, "", "b");
    REQUIRE(by_name.ok());
    CHECK(by_name.instances == std::vector<InstanceRef>{{0, 1}});
    auto by_route = manager::select_instance(f.views, "", routing::derive_route_id("c1", "c"));
    REQUIRE(by_route.ok());
    CHECK(by_route.instances == std::vector<InstanceRef>{{0, 2}});
    auto explicit_route = manager::select_instance(f.views, "c2", "routex");
    REQUIRE(explicit_route.ok());
    CHECK(explicit_route.instances == std::vector<InstanceRef>{{1, 1}});
    auto scoped = manager::select_instance(f.views, "c2", "a");
    REQUIRE(scoped.ok());
    CHECK(scoped.instances == std::vector<InstanceRef>{{1, 0}});
}

TEST_CASE("unknown or ambiguous instances are errors", "[manager]") {
    Fixture f;
    auto unknown = manager::select_instance(f.views, "", "nope");
    CHECK(unknown.status == 404);
    CHECK(unknown.instances.empty());
    CHECK(manager::select_instance(f.views, "c1", "x").status == 404);
    CHECK(manager::select_instance(f.views, "c9", "a").status == 404);
    auto ambiguous = manager::select_instance(f.views, "", "a");
    CHECK(ambiguous.status == 409);
    CHECK_THAT(ambiguous.error, Catch::Contains("c1, c2"));
    CHECK(ambiguous.instances.empty());
}

TEST_CASE("a domain selects its instances in one cluster or all", "[manager]") {
    Fixture f;
    auto all = manager::select_domain(f.views, "", "d1");
    REQUIRE(all.ok());
    CHECK(all.instances == std::vector<InstanceRef>{{0, 0}, {0, 1}, {1, 0}});
    auto scoped = manager::select_domain(f.views, "c1", "d1");
    CHECK(scoped.instances == std::vector<InstanceRef>{{0, 0}, {0, 1}});
    CHECK(manager::select_domain(f.views, "c2", "d2").status == 404);
    CHECK(manager::select_domain(f.views, "", "nope").status == 404);
    CHECK(manager::select_domain(f.views, "c9", "d1").status == 404);
    CHECK(manager::select_domain(f.views, "", "").status == 400);
    CHECK(manager::find_cluster(f.views, "c2") == 1);
    CHECK(manager::find_cluster(f.views, "c3") == -1);
}

TEST_CASE("an instance is pinged on its http listener with the health-checker's settings",
          "[manager]") {
    config::Cluster c;
    c.name = "c1";
    config::Instance i = loopback_instance("a", 100, "", 8081);
    i.listeners.insert(i.listeners.begin(), {config::Scheme::Https, "127.0.0.1", 8181});
    auto plain = manager::instance_ping(c, i);
    REQUIRE(plain.ok());
    CHECK(plain.url() == "http://127.0.0.1:8081/");
    CHECK(plain.timeout == manager::kMaxPingTimeout);

    c.health_checker = config::HealthChecker{"/health", 5, 3, 0};
    auto checked = manager::instance_ping(c, i);
    CHECK(checked.url() == "http://127.0.0.1:8081/health");
    CHECK(checked.timeout == std::chrono::seconds(3));
    c.health_checker->timeout_seconds = 60;
    CHECK(manager::instance_ping(c, i).timeout == manager::kMaxPingTimeout);
    c.health_checker->url = "http://ignored:1/deep/ping";
    CHECK(manager::instance_ping(c, i).target.path == "/deep/ping");

    config::Instance v6 = loopback_instance("v6");
    v6.listeners[0].host = "::1";
    CHECK(manager::instance_ping(c, v6).url() == "http://[::1]:8080/deep/ping");

    config::Instance ajp = loopback_instance("b");
    ajp.listeners[0].scheme = config::Scheme::Ajp;
    auto none = manager::instance_ping(c, ajp);
    CHECK_FALSE(none.ok());
    CHECK_THAT(none.error, Catch::Contains("no http:// listener"));
}

TEST_CASE("url pings reach only instance listeners", "[manager]") {
    config::LoadBalancer lb;
    config::Cluster& c = lb.clusters.emplace_back();
    c.instances.push_back(loopback_instance("a", 100, "", 8081));
    c.instances.back().listeners.push_back({config::Scheme::Https, "app.example", 8443});
    c.instances.back().listeners.push_back({config::Scheme::Http, "App.Example", 8080});
    auto target = [](std::string host, std::uint16_t port) {
        zdu::health::PingTarget t;
        t.host = std::move(host);
        t.port = port;
        return t;
    };
    CHECK(manager::is_instance_listener(lb, target("127.0.0.1", 8081)));
    CHECK(manager::is_instance_listener(lb, target("app.example", 8080)));
    CHECK_FALSE(manager::is_instance_listener(lb, target("127.0.0.1", 8082)));
    CHECK_FALSE(manager::is_instance_listener(lb, target("10.0.0.1", 8081)));
    // https listeners are not pinged, so they do not open the url ping either.
    CHECK_FALSE(manager::is_instance_listener(lb, target("app.example", 8443)));
    // Names are compared as written, never resolved.
    CHECK_FALSE(manager::is_instance_listener(lb, target("localhost", 8081)));
}

TEST_CASE("manager pings share a per-process budget", "[manager]") {
    std::atomic<int> running{0};
    {
        manager::PingSlot first(running, 2);
        manager::PingSlot second(running, 2);
        manager::PingSlot third(running, 2);
        CHECK(first.acquired());
        CHECK(second.acquired());
        CHECK_FALSE(third.acquired());
        CHECK(running == 2);
    }
    CHECK(running == 0);
    manager::PingSlot again(running, 2);
    CHECK(again.acquired());
}
