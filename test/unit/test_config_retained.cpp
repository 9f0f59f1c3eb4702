#include <catch2/catch.hpp>

#include "config/retained.hpp"

using namespace zdu::config;

namespace {

Instance instance(std::string name, std::uint16_t port) {
    Instance i;
    i.name = std::move(name);
    i.listeners.push_back({Scheme::Http, "127.0.0.1", port});
    return i;
}

LoadBalancer cluster_of(std::vector<Instance> instances, std::string name = "c1") {
    LoadBalancer lb;
    Cluster c;
    c.name = std::move(name);
    c.instances = std::move(instances);
    lb.clusters.push_back(std::move(c));
    return lb;
}

}  // namespace

TEST_CASE("retained instances survive a round trip through their text", "[config][reload]") {
    Instance i = instance("odd name\t%", 8081);
    i.weight = 250;
    i.disable_timeout_minutes = 7;
    i.route = "r1";
    i.domain = "d1";
    i.version = "2.0";
    i.listeners.push_back({Scheme::Https, "::1", 8443});
    std::vector<RetainedInstance> kept{{"c 1", i}};
    auto back = parse_retained(format_retained(kept));
    REQUIRE(back.size() == 1);
    CHECK(back[0].cluster == "c 1");
    Instance expected = i;
    expected.enabled = false;
    CHECK(back[0].instance == expected);
    CHECK(parse_retained("garbage\nc1\ti\n").empty());
}

TEST_CASE("a removed instance is retained until it comes back", "[config][reload]") {
    LoadBalancer served = cluster_of({instance("i1", 8081), instance("i2", 8082)});
    LoadBalancer next = cluster_of({instance("i1", 8081)});
    auto kept = retained_after(served, next);
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].instance.name == "i2");
    CHECK_FALSE(kept[0].instance.enabled);

    LoadBalancer runs = with_retained(next, kept);
    REQUIRE(runs.clusters[0].instances.size() == 2);
    CHECK_FALSE(runs.clusters[0].instances[1].enabled);

    SECTION("still retained by the next reload, which serves the model with it") {
        CHECK(retained_after(runs, next).size() == 1);
    }
    SECTION("back under its name: the file's again") {
        LoadBalancer back = cluster_of({instance("i1", 8081), instance("i2", 8082)});
        CHECK(retained_after(runs, back).empty());
        CHECK(with_retained(back, kept).clusters[0].instances.size() == 2);
    }
    SECTION("its cluster removed: not retained") {
        CHECK(retained_after(served, cluster_of({instance("x", 1)}, "c2")).empty());
    }
}
