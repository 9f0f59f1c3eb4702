#include <catch2/catch.hpp>

#include "config/config_diff.hpp"

using namespace zdu::config;

namespace {

Instance instance(std::string name, int weight = 100, bool enabled = true) {
    Instance i;
    i.name = std::move(name);
    i.weight = weight;
    i.enabled = enabled;
    i.listeners.push_back({Scheme::Http, "127.0.0.1", 8080});
    return i;
}

LoadBalancer one_cluster(std::vector<Instance> instances) {
    LoadBalancer lb;
    Cluster c;
    c.name = "c1";
    c.instances = std::move(instances);
    WebModule wm;
    wm.context_root = "/app";
    c.web_modules.push_back(wm);
    lb.clusters.push_back(std::move(c));
    return lb;
}

}  // namespace

TEST_CASE("an identical config is no change", "[config][reload]") {
    LoadBalancer a = one_cluster({instance("i1"), instance("i2")});
    LoadBalancer b = a;
    b.clusters[0].instances[0].line = 42;  // lines are not content
    ConfigDiff d = diff(a, b);
    CHECK(d.empty());
    CHECK(describe(d) == "no change");
}

TEST_CASE("the diff names instances added, removed, enabled, disabled, reweighted",
          "[config][reload]") {
    LoadBalancer a = one_cluster({instance("i1"), instance("i2"), instance("i3", 100, false)});
    LoadBalancer b = one_cluster({instance("i1", 300), instance("i3"), instance("i4")});
    b.clusters[0].instances[0].enabled = false;
    ConfigDiff d = diff(a, b);
    CHECK(d.instances_added == std::vector<std::string>{"c1/i4"});
    CHECK(d.instances_removed == std::vector<std::string>{"c1/i2"});
    CHECK(d.instances_enabled == std::vector<std::string>{"c1/i3"});
    CHECK(d.instances_disabled == std::vector<std::string>{"c1/i1"});
    CHECK(d.weights == std::vector<std::string>{"c1/i1 100->300"});
    CHECK_FALSE(d.other);
    CHECK(describe(d) ==
          "instances added c1/i4; instances removed c1/i2; instances enabled c1/i3; "
          "instances disabled c1/i1; weights c1/i1 100->300");
}

TEST_CASE("the diff sees clusters, web-modules and other settings", "[config][reload]") {
    LoadBalancer a = one_cluster({instance("i1")});
    LoadBalancer b = a;
    b.clusters[0].name = "c2";
    ConfigDiff d = diff(a, b);
    CHECK(d.clusters_added == std::vector<std::string>{"c2"});
    CHECK(d.clusters_removed == std::vector<std::string>{"c1"});

    LoadBalancer c = a;
    c.clusters[0].web_modules[0].context_root = "/shop";
    c.clusters[0].instances[0].listeners[0].port = 9090;
    d = diff(a, c);
    CHECK(d.web_modules_added == std::vector<std::string>{"c1/shop"});
    CHECK(d.web_modules_removed == std::vector<std::string>{"c1/app"});
    CHECK(d.other);
    CHECK(describe(d) == "web-modules added c1/shop; web-modules removed c1/app; other settings");

    LoadBalancer e = a;
    e.properties.push_back({"response-timeout-in-seconds", "5", "", 0});
    CHECK(describe(diff(a, e)) == "other settings");
}

TEST_CASE("long lists are cut in the description", "[config][reload]") {
    std::vector<Instance> many;
    for (int i = 0; i < 8; ++i) many.push_back(instance("n" + std::to_string(i)));
    ConfigDiff d = diff(one_cluster({}), one_cluster(many));
    CHECK(describe(d) == "instances added c1/n0 c1/n1 c1/n2 c1/n3 c1/n4 +3 more");
    CHECK(count(one_cluster(many)).instances == 8);
}
