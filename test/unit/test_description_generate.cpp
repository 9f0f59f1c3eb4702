// generate: description + lb-config name -> the loadbalancer.xml model, compared byte for byte
// with golden files (written with a fixed footer date), and what it refuses.
#include <catch2/catch.hpp>

#include "config/loader.hpp"
#include "config/writer.hpp"
#include "description/model.hpp"
#include "description_test_support.hpp"

using namespace zdu::description;
namespace config = zdu::config;

namespace {

constexpr const char* kFooterDate = "GOLDEN";

// Golden files are the expected bytes; ZDU_UPDATE_GOLDEN=1 rewrites them (then review the diff).
void check_golden(const std::string& text, const std::string& golden) {
    const std::string path = source_path("test/unit/golden/" + golden);
    if (std::getenv("ZDU_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(path, std::ios::binary) << text;
    }
    CHECK(text == read_text(path));
}

std::string generated(const std::string& description, const std::string& lb_config) {
    const Description d = load_description(source_path(description));
    return config::write_xml(generate(d, lb_config), kFooterDate);
}

std::string generate_errors(const Description& d, const std::string& lb_config) {
    try {
        generate(d, lb_config);
    } catch (const GenerateError& e) {
        return e.what();
    }
    return {};
}

Server server(const std::string& name, int port, const std::string& version = {}) {
    Server s;
    s.name = name;
    s.listeners = {
        config::Listener{config::Scheme::Http, "127.0.0.1", static_cast<std::uint16_t>(port)}};
    s.version = version;
    return s;
}

}  // namespace

TEST_CASE("the sample's lb-config generates the golden loadbalancer.xml",
          "[description][generate]") {
    const std::string xml = generated("conf-samples/cluster-description.xml", "shop-lb-config");
    check_golden(xml, "shop-lb-config.loadbalancer.xml");
    // What mod_zdu and lbxml-gen validate accept it without a word.
    const auto loaded = config::load_string(xml, "generated.xml");
    INFO((loaded.diagnostics.empty() ? std::string() : loaded.diagnostics[0].text()));
    REQUIRE(loaded.ok());
    CHECK(loaded.diagnostics.empty());
}

TEST_CASE("a description without extensions generates GlassFish's format",
          "[description][generate]") {
    const std::string xml = generated("test/unit/golden/minimal-description.xml", "lb1-config");
    check_golden(xml, "minimal.loadbalancer.xml");
    CHECK_THAT(xml, Catch::Contains("glassfish-loadbalancer_1_3.dtd"));
    REQUIRE(config::load_string(xml, "generated.xml").ok());
}

TEST_CASE("generate maps refs and defaults", "[description][generate]") {
    const Description d = load_description(source_path("conf-samples/cluster-description.xml"));
    const config::LoadBalancer lb = generate(d, "shop-lb-config");
    REQUIRE(lb.clusters.size() == 2);
    const config::Cluster& shop = lb.clusters[0];
    CHECK(shop.name == "shop-cluster");
    CHECK(shop.policy == config::Policy::WeightedRoundRobin);
    CHECK(shop.active_version == "1.0");
    CHECK(shop.canary_percent == 10);
    REQUIRE(shop.instances.size() == 3);
    CHECK(shop.instances[1].disable_timeout_minutes == 45);
    CHECK(shop.instances[1].weight == 200);
    CHECK_FALSE(shop.instances[2].enabled);
    // Lines point into the description, so checks on the result name the line to fix.
    CHECK(shop.instances[0].line == d.clusters[0].servers[0].line);
    REQUIRE(shop.web_modules.size() == 1);
    CHECK(shop.web_modules[0].error_url == "/errors/shop.html");
    CHECK(shop.web_modules[0].idempotent_url_patterns.size() == 2);

    const config::Cluster& reports = lb.clusters[1];
    CHECK(reports.name == "reports-server");
    REQUIRE(reports.instances.size() == 1);
    CHECK(reports.instances[0].name == "reports-server");
    CHECK(reports.instances[0].disable_timeout_minutes == 30);
    REQUIRE(reports.health_checker.has_value());
    CHECK(reports.health_checker->url == "/reports/ping");
    CHECK(reports.health_checker->interval_seconds == 30);
    REQUIRE(reports.web_modules.size() == 1);
    CHECK(reports.web_modules[0].disable_timeout_minutes == 10);
    CHECK(reports.web_modules[0].session_timeout_minutes == 60);
    REQUIRE(lb.properties.size() == 2);
    CHECK(lb.properties[0].name == "response-timeout-in-seconds");
}

TEST_CASE("an lb-config with nothing in it generates an empty loadbalancer",
          "[description][generate]") {
    const Description d = load_description(source_path("test/unit/golden/minimal-description.xml"));
    CHECK(generate(d, "empty-config") == config::LoadBalancer{});
}

TEST_CASE("generate names what is missing", "[description][generate]") {
    Description d;
    CHECK(generate_errors(d, "x") == "no lb-config 'x' in the description (lb-configs: none)");
    d.lb_configs.push_back({"l1", {}, {}, {}, 0});
    d.lb_configs.push_back({"l2", {}, {}, {}, 0});
    CHECK(generate_errors(d, "x") ==
          "no lb-config 'x' in the description (lb-configs: 'l1', 'l2')");

    // Descriptions edited in memory are not re-checked by the loader: generate guards itself.
    ClusterRef ref;
    ref.ref = "c";
    d.lb_configs[0].cluster_refs.push_back(ref);
    CHECK(generate_errors(d, "l1") ==
          "lb-config 'l1' references cluster 'c', which the description does not define");
    Cluster c;
    c.name = "c";
    c.servers.push_back(server("i1", 8081));
    c.application_refs.push_back({"app", true, 30, 0});
    d.clusters.push_back(c);
    CHECK(generate_errors(d, "l1") ==
          "cluster 'c' references application 'app', which the description does not define");
    d.applications.push_back(Application{});
    d.applications[0].name = "app";
    d.applications[0].context_root = "/app";
    CHECK(generate_errors(d, "l1").empty());
    ServerRef stray;
    stray.ref = "i9";
    d.lb_configs[0].cluster_refs[0].server_refs.push_back(stray);
    CHECK(generate_errors(d, "l1") ==
          "lb-config 'l1' references server 'i9' in cluster 'c', "
          "which has no such member");
    d.lb_configs[0].cluster_refs[0].server_refs.clear();
    d.lb_configs[0].server_refs.push_back(stray);
    CHECK(generate_errors(d, "l1") ==
          "lb-config 'l1' references standalone server 'i9', which "
          "the description does not define");
}

TEST_CASE("loadbalancer.xml rules are reported at the description's lines",
          "[description][generate]") {
    const std::string xml =
        kDescriptionHead +
        "<cluster-description>\n"
        "<clusters>\n"
        "<cluster name=\"c\" canary-version=\"9.9\" canary-percent=\"5\">\n"  // 5
        "<server name=\"i1\" listeners=\"http://h:1\" version=\"1.0\"/>\n"
        "</cluster>\n"
        "</clusters>\n"
        "<lb-configs><lb-config name=\"l\"><cluster-ref ref=\"c\"/>"
        "</lb-config></lb-configs>\n"
        "</cluster-description>\n";
    const Description d = load_description_string(xml, "d.xml");
    try {
        generate(d, "l");
        FAIL("generated a canary version no instance has");
    } catch (const GenerateError& e) {
        REQUIRE_FALSE(e.diagnostics().empty());
        CHECK(e.diagnostics()[0].line == 5);
        CHECK_THAT(e.what(), Catch::StartsWith("d.xml:5: cluster 'c': canary-version '9.9'"));
    }
}
