// The admin commands' edits of a description: each effect, each refusal (the description left
// exactly as it was), and unrelated content kept.
#include <catch2/catch.hpp>

#include "description/commands.hpp"

namespace {

using namespace zdu::description;
using zdu::config::Listener;

Server server(const std::string& name, int port, const std::string& version = "") {
    Server s;
    s.name = name;
    s.listeners.push_back(
        Listener{zdu::config::Scheme::Http, "127.0.0.1", static_cast<std::uint16_t>(port)});
    s.version = version;
    return s;
}

ApplicationRef app_ref(const std::string& name) {
    ApplicationRef r;
    r.ref = name;
    return r;
}

// Two clusters (c1 referenced by lb1-config, c2 by nobody), one standalone server s1 referenced,
// one load-balancer; enough that every command has something to change and something to leave.
Description sample() {
    Description d;
    Application shop;
    shop.name = "shop";
    shop.context_root = "/shop";
    d.applications.push_back(shop);
    Application admin;
    admin.name = "admin";
    admin.context_root = "/admin";
    d.applications.push_back(admin);

    Cluster c1;
    c1.name = "c1";
    c1.servers = {server("i1", 8081, "1.0"), server("i2", 8082, "1.0"), server("i3", 8083, "2.0")};
    c1.application_refs = {app_ref("shop")};
    d.clusters.push_back(c1);
    Cluster c2;
    c2.name = "c2";
    c2.servers = {server("j1", 9081)};
    c2.application_refs = {app_ref("shop")};
    d.clusters.push_back(c2);
    Server s1 = server("s1", 7081);
    s1.application_refs = {app_ref("admin")};
    d.servers.push_back(s1);

    LbConfig config;
    config.name = "lb1-config";
    ClusterRef cref;
    cref.ref = "c1";
    config.cluster_refs.push_back(cref);
    ServerRef sref;
    sref.ref = "s1";
    config.server_refs.push_back(sref);
    zdu::config::Property p;
    p.name = "response-timeout-in-seconds";
    p.value = "60";
    config.properties.push_back(p);
    d.lb_configs.push_back(config);

    LoadBalancerDef lb;
    lb.name = "lb1";
    lb.lb_config_name = "lb1-config";
    lb.secret_file = "/etc/zdu/secret";
    lb.front_ends.push_back(FrontEnd{"http://127.0.0.1:8080/zdu-manager", 0});
    d.load_balancers.push_back(lb);
    return d;
}

ConfigSelector by_config(const std::string& name) {
    return {name, ""};
}

const ServerRef* instance_ref(const Description& d, const std::string& config,
                              const std::string& cluster, const std::string& instance) {
    const LbConfig* c = find_lb_config(d, config);
    for (const ClusterRef& r : c->cluster_refs) {
        if (r.ref != cluster) continue;
        for (const ServerRef& s : r.server_refs)
            if (s.ref == instance) return &s;
    }
    return nullptr;
}

// A refusal must leave the description untouched and say something.
void require_refused(const EditResult& r, const Description& before, const Description& after,
                     const std::string& needle) {
    INFO(r.error);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error.find(needle) != std::string::npos);
    CHECK(before == after);
}

}  // namespace

TEST_CASE("create-http-lb-config adds a config with its targets and properties",
          "[description-commands]") {
    Description d = sample();
    zdu::config::Property p;
    p.name = "https-routing";
    p.value = "true";
    auto r = create_lb_config(d, "lb2-config", {"c2", "s1"}, {p});
    REQUIRE(r.ok());
    const LbConfig* c = find_lb_config(d, "lb2-config");
    REQUIRE(c != nullptr);
    REQUIRE(c->cluster_refs.size() == 1);
    CHECK(c->cluster_refs[0].ref == "c2");
    REQUIRE(c->cluster_refs[0].server_refs.size() == 1);
    CHECK(c->cluster_refs[0].server_refs[0].ref == "j1");
    CHECK(c->cluster_refs[0].server_refs[0].lb_enabled);
    REQUIRE(c->cluster_refs[0].application_refs.size() == 1);
    CHECK(c->cluster_refs[0].application_refs[0].ref == "shop");
    REQUIRE(c->server_refs.size() == 1);
    CHECK(c->server_refs[0].application_refs.at(0).ref == "admin");
    CHECK(c->properties == std::vector<zdu::config::Property>{p});
    // Unrelated content kept.
    Description expected = sample();
    d.lb_configs.pop_back();
    CHECK(d == expected);
}

TEST_CASE("create-http-lb-config refusals", "[description-commands]") {
    Description d = sample();
    const Description before = d;
    require_refused(create_lb_config(d, "lb1-config", {}, {}), before, d, "already exists");
    require_refused(create_lb_config(d, "x", {"nope"}, {}), before, d, "'nope'");
    require_refused(create_lb_config(d, "x", {"i1"}, {}), before, d, "clustered instance");
    require_refused(create_lb_config(d, "", {}, {}), before, d, "empty");
    zdu::config::Property p;
    p.name = "a";
    require_refused(create_lb_config(d, "x", {}, {p, p}), before, d, "twice");
}

TEST_CASE("delete-http-lb-config refuses while a load-balancer uses it", "[description-commands]") {
    Description d = sample();
    const Description before = d;
    require_refused(delete_lb_config(d, "lb1-config"), before, d, "lb1");
    require_refused(delete_lb_config(d, "nope"), before, d, "no lb-config");
    REQUIRE(delete_lb(d, "lb1").ok());
    REQUIRE(delete_lb_config(d, "lb1-config").ok());
    CHECK(d.lb_configs.empty());
    CHECK(d.clusters == before.clusters);
}

TEST_CASE("create-http-lb-ref by --config and --lbname with options", "[description-commands]") {
    Description d = sample();
    LbRefOptions o;
    o.policy = zdu::config::Policy::WeightedRoundRobin;
    o.enable_all_instances = false;
    o.weights = {{"j1", 250}};
    zdu::config::HealthChecker h;
    h.url = "/ping";
    o.health = h;
    REQUIRE(create_lb_ref(d, {"", "lb1"}, "c2", o).ok());
    const LbConfig* c = find_lb_config(d, "lb1-config");
    REQUIRE(c->cluster_refs.size() == 2);
    const ClusterRef& ref = c->cluster_refs[1];
    CHECK(ref.ref == "c2");
    CHECK(ref.policy == zdu::config::Policy::WeightedRoundRobin);
    REQUIRE(ref.health_checker);
    CHECK(ref.health_checker->url == "/ping");
    CHECK_FALSE(ref.server_refs.at(0).lb_enabled);
    CHECK(find_cluster(d, "c2")->servers[0].weight == 250);

    const Description before = d;
    require_refused(create_lb_ref(d, by_config("lb1-config"), "c2", {}), before, d,
                    "already references");
    require_refused(create_lb_ref(d, by_config("nope"), "c2", {}), before, d, "no lb-config");
    require_refused(create_lb_ref(d, {"", "nolb"}, "c2", {}), before, d, "no load-balancer");
    require_refused(create_lb_ref(d, {}, "c2", {}), before, d, "either --config or --lbname");
    require_refused(create_lb_ref(d, {"lb1-config", "lb1"}, "c2", {}), before, d, "either");
    LbRefOptions bad_weight;
    bad_weight.weights = {{"zz", 1}};
    REQUIRE(delete_lb_ref(d, by_config("lb1-config"), "c2", true).ok());
    const Description before2 = d;
    require_refused(create_lb_ref(d, by_config("lb1-config"), "c2", bad_weight), before2, d,
                    "no instance 'zz'");
    Description d3 = sample();
    REQUIRE(delete_lb_ref(d3, by_config("lb1-config"), "s1", true).ok());
    const Description before3 = d3;
    LbRefOptions policy;
    policy.policy = zdu::config::Policy::RoundRobin;
    require_refused(create_lb_ref(d3, by_config("lb1-config"), "s1", policy), before3, d3,
                    "clusters only");
}

TEST_CASE("delete-http-lb-ref refuses while the target is enabled", "[description-commands]") {
    Description d = sample();
    const Description before = d;
    // c1's instances have no explicit server-ref: enabled by default.
    require_refused(delete_lb_ref(d, by_config("lb1-config"), "c1", false), before, d,
                    "still lb-enabled");
    require_refused(delete_lb_ref(d, by_config("lb1-config"), "s1", false), before, d,
                    "still lb-enabled");
    require_refused(delete_lb_ref(d, by_config("lb1-config"), "c2", false), before, d,
                    "no ref to 'c2'");

    REQUIRE(set_lb_server_enabled(d, "i1", false).ok());
    REQUIRE(set_lb_server_enabled(d, "i2", false).ok());
    const Description partly = d;
    require_refused(delete_lb_ref(d, by_config("lb1-config"), "c1", false), partly, d,
                    "still lb-enabled");
    REQUIRE(set_lb_server_enabled(d, "c1", false).ok());
    REQUIRE(delete_lb_ref(d, by_config("lb1-config"), "c1", false).ok());
    CHECK(find_lb_config(d, "lb1-config")->cluster_refs.empty());
    CHECK(find_lb_config(d, "lb1-config")->server_refs.size() == 1);

    REQUIRE(delete_lb_ref(d, by_config("lb1-config"), "s1", true).ok());
    CHECK(find_lb_config(d, "lb1-config")->server_refs.empty());
}

TEST_CASE("health checker create and delete", "[description-commands]") {
    Description d = sample();
    zdu::config::HealthChecker h;
    h.url = "/ping";
    h.interval_seconds = 5;
    h.timeout_seconds = 2;
    REQUIRE(create_health_checker(d, by_config("lb1-config"), "c1", h).ok());
    REQUIRE(find_lb_config(d, "lb1-config")->cluster_refs[0].health_checker == h);
    REQUIRE(create_health_checker(d, by_config("lb1-config"), "s1", h).ok());
    CHECK(find_lb_config(d, "lb1-config")->server_refs[0].health_checker == h);

    const Description before = d;
    require_refused(create_health_checker(d, by_config("lb1-config"), "c1", h), before, d,
                    "already has");
    require_refused(create_health_checker(d, by_config("lb1-config"), "c2", h), before, d,
                    "no ref");
    zdu::config::HealthChecker bad = h;
    bad.url = "ping";
    require_refused(create_health_checker(d, by_config("lb1-config"), "c1", bad), before, d,
                    "--url");

    REQUIRE(delete_health_checker(d, by_config("lb1-config"), "c1").ok());
    CHECK_FALSE(find_lb_config(d, "lb1-config")->cluster_refs[0].health_checker);
    const Description after = d;
    require_refused(delete_health_checker(d, by_config("lb1-config"), "c1"), after, d,
                    "no health checker");
}

TEST_CASE("enable/disable-http-lb-server on a cluster, an instance, a standalone server",
          "[description-commands]") {
    Description d = sample();
    REQUIRE(set_lb_server_enabled(d, "i2", false, 5).ok());
    const ServerRef* i2 = instance_ref(d, "lb1-config", "c1", "i2");
    REQUIRE(i2 != nullptr);
    CHECK_FALSE(i2->lb_enabled);
    CHECK(i2->disable_timeout_minutes == 5);
    CHECK(instance_ref(d, "lb1-config", "c1", "i1") == nullptr);  // untouched: still default

    REQUIRE(set_lb_server_enabled(d, "c1", false).ok());
    for (const char* name : {"i1", "i2", "i3"}) {
        const ServerRef* r = instance_ref(d, "lb1-config", "c1", name);
        REQUIRE(r != nullptr);
        CHECK_FALSE(r->lb_enabled);
    }
    // Explicit refs follow the cluster's order, whatever order the commands ran in.
    const auto& refs = find_lb_config(d, "lb1-config")->cluster_refs[0].server_refs;
    REQUIRE(refs.size() == 3);
    CHECK(refs[0].ref == "i1");
    CHECK(refs[1].ref == "i2");
    CHECK(refs[2].ref == "i3");
    // Without --timeout the timeout already set stays.
    CHECK(instance_ref(d, "lb1-config", "c1", "i2")->disable_timeout_minutes == 5);
    REQUIRE(set_lb_server_enabled(d, "i2", true).ok());
    CHECK(instance_ref(d, "lb1-config", "c1", "i2")->lb_enabled);

    REQUIRE(set_lb_server_enabled(d, "s1", false, 0).ok());
    CHECK_FALSE(find_lb_config(d, "lb1-config")->server_refs[0].lb_enabled);
    CHECK(find_lb_config(d, "lb1-config")->server_refs[0].disable_timeout_minutes == 0);

    const Description before = d;
    require_refused(set_lb_server_enabled(d, "c2", false), before, d, "no lb-config references");
    require_refused(set_lb_server_enabled(d, "j1", false), before, d, "no lb-config references");
    require_refused(set_lb_server_enabled(d, "zz", false), before, d, "'zz'");
    require_refused(set_lb_server_enabled(d, "i1", false, -1), before, d, "--timeout");
}

TEST_CASE("enable/disable-http-lb-application", "[description-commands]") {
    Description d = sample();
    REQUIRE(set_lb_application_enabled(d, "c1", "shop", false, 7).ok());
    const auto& refs = find_lb_config(d, "lb1-config")->cluster_refs[0].application_refs;
    REQUIRE(refs.size() == 1);
    CHECK(refs[0].ref == "shop");
    CHECK_FALSE(refs[0].lb_enabled);
    CHECK(refs[0].disable_timeout_minutes == 7);
    REQUIRE(set_lb_application_enabled(d, "c1", "shop", true).ok());
    CHECK(find_lb_config(d, "lb1-config")->cluster_refs[0].application_refs[0].lb_enabled);
    REQUIRE(set_lb_application_enabled(d, "s1", "admin", false).ok());
    CHECK_FALSE(find_lb_config(d, "lb1-config")->server_refs[0].application_refs.at(0).lb_enabled);

    const Description before = d;
    require_refused(set_lb_application_enabled(d, "c1", "admin", false), before, d, "not deployed");
    require_refused(set_lb_application_enabled(d, "c1", "nope", false), before, d,
                    "no application");
    require_refused(set_lb_application_enabled(d, "c2", "shop", false), before, d,
                    "no lb-config references");
    require_refused(set_lb_application_enabled(d, "i1", "shop", false), before, d,
                    "no cluster or standalone");
}

TEST_CASE("configure-lb-weight sets all or nothing", "[description-commands]") {
    std::string why;
    auto w = parse_weights("i1=100:i3=400", why);
    REQUIRE(w);
    CHECK(*w == std::vector<std::pair<std::string, int>>{{"i1", 100}, {"i3", 400}});
    CHECK_FALSE(parse_weights("i1=", why));
    CHECK(why.find("'i1='") != std::string::npos);
    CHECK_FALSE(parse_weights("i1=1x", why));
    CHECK_FALSE(parse_weights("=5", why));
    CHECK_FALSE(parse_weights("", why));

    Description d = sample();
    REQUIRE(configure_lb_weight(d, "c1", *w).ok());
    CHECK(find_cluster(d, "c1")->servers[0].weight == 100);
    CHECK(find_cluster(d, "c1")->servers[1].weight == 100);
    CHECK(find_cluster(d, "c1")->servers[2].weight == 400);
    const Description before = d;
    require_refused(configure_lb_weight(d, "c1", {{"i1", 5}, {"zz", 6}}), before, d, "'zz'");
    require_refused(configure_lb_weight(d, "c1", {{"i1", -5}}), before, d, "0 or more");
    require_refused(configure_lb_weight(d, "nope", {{"i1", 5}}), before, d, "no cluster");
}

TEST_CASE("create-http-lb and delete-http-lb", "[description-commands]") {
    Description d = sample();
    LoadBalancerDef lb;
    lb.name = "lb2";
    lb.lb_config_name = "lb1-config";
    lb.front_ends.push_back(FrontEnd{"https://web2:443/zdu-manager", 0});
    REQUIRE(create_lb(d, lb).ok());
    REQUIRE(find_load_balancer(d, "lb2") != nullptr);
    CHECK(*find_load_balancer(d, "lb2") == lb);

    const Description before = d;
    require_refused(create_lb(d, lb), before, d, "already exists");
    LoadBalancerDef no_config = lb;
    no_config.name = "lb3";
    no_config.lb_config_name = "nope";
    require_refused(create_lb(d, no_config), before, d, "no lb-config");
    LoadBalancerDef bad_url = lb;
    bad_url.name = "lb3";
    bad_url.front_ends[0].url = "ftp://x/";
    require_refused(create_lb(d, bad_url), before, d, "ftp://x/");
    require_refused(delete_lb(d, "nope"), before, d, "no load-balancer");
    REQUIRE(delete_lb(d, "lb2").ok());
    CHECK(d == sample());
}

TEST_CASE("instances: add, remove, version", "[description-commands]") {
    Description d = sample();
    REQUIRE(create_instance(d, "c1", server("i4", 8084, "2.0"), false).ok());
    REQUIRE(find_cluster(d, "c1")->servers.size() == 4);
    const ServerRef* i4 = instance_ref(d, "lb1-config", "c1", "i4");
    REQUIRE(i4 != nullptr);
    CHECK_FALSE(i4->lb_enabled);  // staged: takes nothing until enabled

    const Description before = d;
    require_refused(create_instance(d, "c1", server("i4", 1, ""), true), before, d, "taken");
    require_refused(create_instance(d, "c1", server("s1", 1, ""), true), before, d, "taken");
    require_refused(create_instance(d, "c1", server("i5", 1, "bad version"), true), before, d,
                    "invalid version");
    Server no_listener = server("i5", 1);
    no_listener.listeners.clear();
    require_refused(create_instance(d, "c1", no_listener, true), before, d, "--listeners");
    require_refused(create_instance(d, "nope", server("i5", 1), true), before, d, "no cluster");

    REQUIRE(delete_instance(d, "c1", "i4", false).ok());  // lb-disabled: may go
    CHECK(instance_ref(d, "lb1-config", "c1", "i4") == nullptr);
    CHECK(d == sample());
    const Description again = d;
    require_refused(delete_instance(d, "c1", "i1", false), again, d, "still lb-enabled");
    require_refused(delete_instance(d, "c1", "zz", false), again, d, "no instance");
    REQUIRE(delete_instance(d, "c1", "i1", true).ok());
    CHECK(find_cluster(d, "c1")->servers.size() == 2);

    REQUIRE(set_instance_version(d, "c1", "i2", "2.1").ok());
    CHECK(find_cluster(d, "c1")->servers[0].version == "2.1");
    const Description v = d;
    require_refused(set_instance_version(d, "c1", "i2", "a b"), v, d, "invalid version");
    require_refused(set_instance_version(d, "c1", "i1", "2"), v, d, "no instance");
}

TEST_CASE("active version and canary", "[description-commands]") {
    Description d = sample();
    REQUIRE(set_active_version(d, "c1", "1.0").ok());
    CHECK(find_cluster(d, "c1")->active_version == "1.0");
    REQUIRE(set_canary(d, "c1", "2.0", 10).ok());
    CHECK(find_cluster(d, "c1")->canary_version == "2.0");
    CHECK(find_cluster(d, "c1")->canary_percent == 10);

    const Description before = d;
    require_refused(set_active_version(d, "c1", "9.9"), before, d, "has version '9.9'");
    require_refused(set_canary(d, "c1", "9.9", 10), before, d, "has version '9.9'");
    require_refused(set_canary(d, "c1", "2.0", 101), before, d, "0..100");
    require_refused(set_canary(d, "c1", "", 5), before, d, "--version");
    // The last instance of the active or canary version cannot go while it is named.
    REQUIRE(set_lb_server_enabled(d, "i3", false).ok());
    const Description disabled = d;
    require_refused(delete_instance(d, "c1", "i3", false), disabled, d, "canary version");

    REQUIRE(set_canary(d, "c1", "", 0).ok());
    CHECK(find_cluster(d, "c1")->canary_version.empty());
    CHECK(find_cluster(d, "c1")->canary_percent == 0);
    REQUIRE(set_active_version(d, "c1", "").ok());
    CHECK(find_cluster(d, "c1")->active_version.empty());
}
