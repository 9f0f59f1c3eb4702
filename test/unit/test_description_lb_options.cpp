// create-http-lb's GlassFish options on a description: the lb-config it brings along (targets,
// ref options, properties), the device as a front-end URL, and create-http-lb-config with ref
// options; each refusal leaves the description exactly as it was.
#include <catch2/catch.hpp>

#include "description/commands.hpp"

namespace {

using namespace zdu::description;

Server server(const std::string& name, int port) {
    Server s;
    s.name = name;
    s.listeners.push_back(zdu::config::Listener{zdu::config::Scheme::Http, "127.0.0.1",
                                                static_cast<std::uint16_t>(port)});
    return s;
}

ApplicationRef app_ref(const std::string& name) {
    ApplicationRef r;
    r.ref = name;
    return r;
}

// Cluster c1 (i1, i2) with shop, standalone s1 with admin, one lb-config and load-balancer lb1.
Description sample() {
    Description d;
    for (const char* name : {"shop", "admin"}) {
        Application a;
        a.name = name;
        a.context_root = std::string("/") + name;
        d.applications.push_back(a);
    }
    Cluster c1;
    c1.name = "c1";
    c1.servers = {server("i1", 8081), server("i2", 8082)};
    c1.application_refs = {app_ref("shop")};
    d.clusters.push_back(c1);
    Server s1 = server("s1", 7081);
    s1.application_refs = {app_ref("admin")};
    d.servers.push_back(s1);
    LbConfig config;
    config.name = "lb1-config";
    d.lb_configs.push_back(config);
    LoadBalancerDef lb;
    lb.name = "lb1";
    lb.lb_config_name = "lb1-config";
    d.load_balancers.push_back(lb);
    return d;
}

LoadBalancerDef lb_named(const std::string& name) {
    LoadBalancerDef lb;
    lb.name = name;
    lb.front_ends.push_back(FrontEnd{"https://web1:443/zdu-manager", 0});
    return lb;
}

zdu::config::Property property(const std::string& name, const std::string& value) {
    zdu::config::Property p;
    p.name = name;
    p.value = value;
    return p;
}

void require_refused(const EditResult& r, const Description& before, const Description& after,
                     const std::string& needle) {
    INFO(r.error);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error.find(needle) != std::string::npos);
    CHECK(before == after);
}

}  // namespace

TEST_CASE("create-http-lb without a config brings NAME_LB_CONFIG with its targets",
          "[description-lb-options]") {
    Description d = sample();
    NewLbConfig config;
    config.targets = {"c1", "s1"};
    config.properties = {property("https-routing", "true")};
    LbRefOptions options;
    options.enable_all_instances = false;
    options.enable_all_applications = false;
    zdu::config::HealthChecker h;
    h.url = "/ping";
    h.interval_seconds = 15;
    h.timeout_seconds = 4;
    options.health = h;
    auto r = create_lb_with_config(d, lb_named("lb2"), config, options);
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK(r.done.find("lb2_LB_CONFIG") != std::string::npos);
    const LoadBalancerDef* lb = find_load_balancer(d, "lb2");
    REQUIRE(lb != nullptr);
    CHECK(lb->lb_config_name == "lb2_LB_CONFIG");
    CHECK(lb->front_ends == std::vector<FrontEnd>{FrontEnd{"https://web1:443/zdu-manager", 0}});
    const LbConfig* c = find_lb_config(d, "lb2_LB_CONFIG");
    REQUIRE(c != nullptr);
    CHECK(c->properties == std::vector<zdu::config::Property>{property("https-routing", "true")});
    REQUIRE(c->cluster_refs.size() == 1);
    const ClusterRef& cref = c->cluster_refs[0];
    CHECK(cref.ref == "c1");
    REQUIRE(cref.health_checker.has_value());
    CHECK(cref.health_checker->url == "/ping");
    CHECK(cref.health_checker->interval_seconds == 15);
    CHECK(cref.health_checker->timeout_seconds == 4);
    REQUIRE(cref.server_refs.size() == 2);
    CHECK_FALSE(cref.server_refs[0].lb_enabled);
    CHECK_FALSE(cref.server_refs[1].lb_enabled);
    REQUIRE(cref.application_refs.size() == 1);
    CHECK_FALSE(cref.application_refs[0].lb_enabled);
    REQUIRE(c->server_refs.size() == 1);
    CHECK(c->server_refs[0].ref == "s1");
    CHECK_FALSE(c->server_refs[0].lb_enabled);
    CHECK(c->server_refs[0].health_checker.has_value());
    CHECK_FALSE(c->server_refs[0].application_refs.at(0).lb_enabled);
}

TEST_CASE("create-http-lb's policy and weights go to the cluster it targets",
          "[description-lb-options]") {
    Description d = sample();
    NewLbConfig config;
    config.targets = {"c1"};
    LbRefOptions options;
    options.policy = zdu::config::Policy::WeightedRoundRobin;
    options.weights = {{"i2", 300}};
    REQUIRE(create_lb_with_config(d, lb_named("lb2"), config, options).ok());
    const LbConfig* c = find_lb_config(d, "lb2_LB_CONFIG");
    REQUIRE(c->cluster_refs.size() == 1);
    CHECK(c->cluster_refs[0].policy == zdu::config::Policy::WeightedRoundRobin);
    CHECK(find_cluster(d, "c1")->servers[1].weight == 300);
    CHECK(find_cluster(d, "c1")->servers[0].weight == 100);
}

TEST_CASE("create-http-lb refusals leave neither lb-config nor load-balancer",
          "[description-lb-options]") {
    const Description before = sample();
    LbRefOptions defaults;
    {
        Description d = before;
        NewLbConfig config;
        config.targets = {"nope"};
        require_refused(create_lb_with_config(d, lb_named("lb2"), config, defaults), before, d,
                        "'nope'");
    }
    {
        Description d = before;
        LoadBalancerDef lb = lb_named("lb2");
        lb.front_ends = {FrontEnd{"ftp://web1/", 0}};  // refused after the lb-config was made
        require_refused(create_lb_with_config(d, lb, {}, defaults), before, d, "ftp://web1/");
    }
    {
        Description d = before;
        require_refused(create_lb_with_config(d, lb_named("lb1"), {}, defaults), before, d,
                        "already exists");
    }
    {
        Description d = before;
        NewLbConfig config;
        config.targets = {"s1"};
        LbRefOptions options;
        options.policy = zdu::config::Policy::WeightedRoundRobin;
        require_refused(create_lb_with_config(d, lb_named("lb2"), config, options), before, d,
                        "clusters only");
    }
    {
        Description d = before;
        NewLbConfig config;
        config.properties = {property("https-routing", "true"), property("https-routing", "no")};
        require_refused(create_lb_with_config(d, lb_named("lb2"), config, defaults), before, d,
                        "given twice");
    }
}

TEST_CASE("an existing NAME_LB_CONFIG is refused, not reused", "[description-lb-options]") {
    Description d = sample();
    REQUIRE(create_lb_config(d, default_lb_config_name("lb2"), {}, {}).ok());
    const Description before = d;
    require_refused(create_lb_with_config(d, lb_named("lb2"), {}, LbRefOptions{}), before, d,
                    "lb2_LB_CONFIG");
}

TEST_CASE("the device becomes the front-end's https manager URL", "[description-lb-options]") {
    std::string why;
    CHECK(device_front_end_url("web1.example", 8443, why) ==
          std::optional<std::string>("https://web1.example:8443/zdu-manager"));
    CHECK(device_front_end_url("::1", 443, why) ==
          std::optional<std::string>("https://[::1]:443/zdu-manager"));
    for (const char* bad : {"", "web1/x", "user@web1", "web 1"}) {
        why.clear();
        CHECK_FALSE(device_front_end_url(bad, 443, why));
        CHECK(why.find("--devicehost") != std::string::npos);
    }
    for (int port : {0, -1, 65536}) {
        why.clear();
        CHECK_FALSE(device_front_end_url("web1", port, why));
        CHECK(why.find("--deviceport") != std::string::npos);
    }
}

TEST_CASE("create-http-lb-config passes its ref options to every target",
          "[description-lb-options]") {
    Description d = sample();
    LbRefOptions options;
    options.enable_all_instances = false;
    REQUIRE(create_lb_config(d, "x", {"c1", "s1"}, {}, options).ok());
    const LbConfig* c = find_lb_config(d, "x");
    CHECK_FALSE(c->cluster_refs.at(0).server_refs.at(0).lb_enabled);
    CHECK_FALSE(c->server_refs.at(0).lb_enabled);
    CHECK(default_lb_config_name("c1") == "c1_LB_CONFIG");
}
