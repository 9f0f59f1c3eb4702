// The canonical writer: golden text of the sample, defaults left out, and load(write(d)) == d.
#include <catch2/catch.hpp>

#include "description/model.hpp"
#include "description_test_support.hpp"

using namespace zdu::description;
namespace config = zdu::config;

TEST_CASE("the sample's canonical text is the golden one", "[description][writer]") {
    const Description d = load_description(source_path("conf-samples/cluster-description.xml"));
    const std::string text = write_description(d);
    const std::string path = source_path("test/unit/golden/cluster-description.canonical.xml");
    if (std::getenv("ZDU_UPDATE_GOLDEN") != nullptr) std::ofstream(path, std::ios::binary) << text;
    CHECK(text == read_text(path));
}

TEST_CASE("load(write(d)) == d and the text is stable", "[description][writer]") {
    for (const char* file :
         {"conf-samples/cluster-description.xml", "test/unit/golden/minimal-description.xml"}) {
        INFO(file);
        const Description d = load_description(source_path(file));
        const std::string once = write_description(d);
        const Description again = load_description_string(once, "again.xml");
        CHECK(again == d);
        CHECK(write_description(again) == once);
    }
}

TEST_CASE("the empty description keeps every section", "[description][writer]") {
    CHECK(write_description(Description{}) ==
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<!DOCTYPE cluster-description PUBLIC \"-//mod_zdu//DTD Cluster Description 1.0//EN\" "
          "\"zdu-cluster-description_1_0.dtd\">\n"
          "<cluster-description>\n"
          "  <applications/>\n"
          "  <clusters/>\n"
          "  <servers/>\n"
          "  <lb-configs/>\n"
          "  <load-balancers/>\n"
          "</cluster-description>\n");
}

TEST_CASE("every field set survives a round trip, escaped", "[description][writer]") {
    Description d;
    Application a;
    a.name = "a&b";
    a.context_root = "/a";
    a.error_url = "/err?x=\"1\"";
    a.logout_url_pattern = "/logout";
    a.session_timeout_minutes = 7;
    a.stale_session = config::WebModule::StaleSession::Failover;
    a.idempotent_url_patterns.push_back({"/x/*", 2, 0});
    d.applications.push_back(a);
    Cluster c;
    c.name = "c";
    c.session_cookie = "SID";
    c.active_version = "1";
    c.canary_version = "2";
    c.canary_percent = 50;
    Server s;
    s.name = "i1";
    s.listeners = {{config::Scheme::Ajp, "h", 8009}, {config::Scheme::Https, "h", 8181}};
    s.weight = 0;
    s.version = "2";
    s.route = "r";
    s.domain = "d";
    c.servers.push_back(s);
    c.application_refs.push_back({"a&b", true, 30, 0});
    d.clusters.push_back(c);
    Server standalone = s;
    standalone.name = "s1";
    standalone.application_refs.push_back({"a&b", true, 30, 0});
    d.servers.push_back(standalone);
    LbConfig l;
    l.name = "l";
    ClusterRef cr;
    cr.ref = "c";
    cr.policy = config::Policy::UserDefined;
    cr.policy_module = "/lib/p.so";
    cr.health_checker = config::HealthChecker{"/ping", 0, 3, 0};
    cr.server_refs.push_back({"i1", false, 0, std::nullopt, {}, 0});
    cr.application_refs.push_back({"a&b", false, 1, 0});
    l.cluster_refs.push_back(cr);
    l.server_refs.push_back({"s1", false, 12, config::HealthChecker{}, {{"a&b", false, 3, 0}}, 0});
    l.properties.push_back({"p", "v<", "why", 0});
    d.lb_configs.push_back(l);
    d.load_balancers.push_back({"b", "l", "/etc/s", {{"http://w/zdu-manager", 0}}, 0});

    const std::string text = write_description(d);
    CHECK_THAT(text, Catch::Contains("name=\"a&amp;b\""));
    CHECK_THAT(text, Catch::Contains("lb-enabled=\"false\""));
    CHECK(load_description_string(text, "x.xml") == d);
}

TEST_CASE("attributes at their defaults are left out", "[description][writer]") {
    Description d;
    Server s;
    s.name = "s";
    s.listeners = {{config::Scheme::Http, "h", 1}};
    d.servers.push_back(s);
    LbConfig l;
    l.name = "l";
    ServerRef r;
    r.ref = "s";
    r.health_checker = config::HealthChecker{};
    l.server_refs.push_back(r);
    d.lb_configs.push_back(l);
    const std::string text = write_description(d);
    CHECK_THAT(text, Catch::Contains("<server name=\"s\" listeners=\"http://h:1\"/>"));
    CHECK_THAT(text, Catch::Contains("<server-ref ref=\"s\">\n        <health-checker/>"));
    CHECK_THAT(text, !Catch::Contains("weight"));
    CHECK_THAT(text, !Catch::Contains("disable-timeout"));
}
