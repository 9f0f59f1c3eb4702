// Loading loadbalancer.xml: the conf-samples, the DTD each DOCTYPE selects, defaults, and how
// libxml2's own errors are located.
#include <catch2/catch.hpp>
#include <string>

#include "config/bundled_dtds.hpp"
#include "config/loader.hpp"
#include "diagnostics_text.hpp"

using namespace zdu::config;

namespace {

std::string sample(const std::string& name) {
    return std::string(ZDU_SOURCE_DIR) + "/conf-samples/" + name;
}

const Cluster* cluster_named(const LoadBalancer& lb, const std::string& name) {
    for (const auto& c : lb.clusters) {
        if (c.name == name) return &c;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("all four loadbalancer DTDs and the cluster description DTD are bundled",
          "[config][loader]") {
    std::vector<std::string> names;
    for (const auto& dtd : bundled_dtds()) {
        names.emplace_back(dtd.system_id);
        const bool description = dtd.system_id == "zdu-cluster-description_1_0.dtd";
        CHECK(dtd.text.find(description ? "<!ELEMENT cluster-description"
                                        : "<!ELEMENT loadbalancer (cluster*, property*)>") !=
              std::string_view::npos);
    }
    CHECK(names == std::vector<std::string>{"glassfish-loadbalancer_1_3.dtd",
                                            "sun-loadbalancer_1_1.dtd", "sun-loadbalancer_1_2.dtd",
                                            "zdu-cluster-description_1_0.dtd",
                                            "zdu-loadbalancer_1_4.dtd"});
}

TEST_CASE("GlassFish export sample", "[config][loader]") {
    const auto result = load_file(sample("glassfish-export.xml"));
    INFO(all_text(result));
    REQUIRE(result.ok());
    CHECK(result.diagnostics.empty());
    const LoadBalancer& lb = *result.config;
    REQUIRE(lb.clusters.size() == 2);

    REQUIRE(cluster_named(lb, "shop-cluster") != nullptr);
    const Cluster& shop = *cluster_named(lb, "shop-cluster");
    CHECK(shop.line == 4);
    CHECK(shop.policy == Policy::WeightedRoundRobin);
    REQUIRE(shop.instances.size() == 3);
    CHECK(shop.instances[1].name == "shop-i2");
    CHECK(shop.instances[1].weight == 200);
    CHECK(shop.instances[1].line == 6);
    CHECK_FALSE(shop.instances[2].enabled);
    CHECK(shop.instances[0].disable_timeout_minutes == 30);
    REQUIRE(shop.instances[0].listeners.size() == 2);
    CHECK(shop.instances[0].listeners[1] ==
          Listener{Scheme::Https, "app1.example.com", std::uint16_t{28181}});
    REQUIRE(shop.web_modules.size() == 2);
    CHECK(shop.web_modules[0].error_url == "http://www.example.com/sorry.html");
    REQUIRE(shop.web_modules[0].idempotent_url_patterns.size() == 2);
    CHECK(shop.web_modules[0].idempotent_url_patterns[0].url_pattern == "/shop/catalog/*");
    CHECK(shop.web_modules[0].idempotent_url_patterns[0].no_of_retries == 3);
    REQUIRE(shop.health_checker);
    CHECK(shop.health_checker->url == "/shop/health");
    CHECK(shop.health_checker->interval_seconds == 10);
    CHECK(shop.health_checker->timeout_seconds == 5);

    REQUIRE(cluster_named(lb, "hr-cluster") != nullptr);
    const Cluster& hr = *cluster_named(lb, "hr-cluster");
    CHECK(hr.web_modules[1].context_root == "/clusterjsp");
    CHECK(lb.properties.size() == 9);
    REQUIRE(lb.find_property("rewrite-location") != nullptr);
    CHECK(lb.find_property("rewrite-location")->value == "true");
}

TEST_CASE("minimal sample takes the defaults", "[config][loader]") {
    const auto result = load_file(sample("minimal.xml"));
    INFO(all_text(result));
    REQUIRE(result.ok());
    const Cluster& c = result.config->clusters.at(0);
    CHECK(c.policy == Policy::RoundRobin);
    CHECK(c.policy_module.empty());
    CHECK(c.session_cookie_name() == "JSESSIONID");
    CHECK_FALSE(c.health_checker);
    const Instance& i = c.instances.at(0);
    CHECK(i.enabled);
    CHECK(i.disable_timeout_minutes == 31);
    CHECK(i.weight == 100);
    CHECK(i.version.empty());
    CHECK(i.route.empty());
    const WebModule& w = c.web_modules.at(0);
    CHECK(w.enabled);
    CHECK(w.disable_timeout_minutes == 31);
    CHECK(w.error_url.empty());
}

TEST_CASE("versions sample has the extension attributes", "[config][loader]") {
    const auto result = load_file(sample("versions.xml"));
    INFO(all_text(result));
    REQUIRE(result.ok());
    const Cluster& c = result.config->clusters.at(0);
    CHECK(c.session_cookie_name() == "SHOPSESSION");
    REQUIRE(c.instances.size() == 4);
    CHECK(c.instances[0].version == "1.0");
    CHECK(c.instances[2].version == "1.1");
    CHECK(c.instances[2].route == "b1");
    CHECK(c.instances[2].domain == "rack-b");
    CHECK(c.active_version == "1.0");
    CHECK(c.canary_version == "1.1");
    CHECK(c.canary_percent == 10);
    REQUIRE(c.web_modules.size() == 1);
    CHECK(c.web_modules[0].logout_url_pattern == "/logout *.signout");
    CHECK(c.web_modules[0].session_timeout_minutes == 20);
    CHECK(c.web_modules[0].stale_session == WebModule::StaleSession::Redirect);
}

TEST_CASE("missing listeners attribute names its line", "[config][loader]") {
    const auto result = load_string(R"(<?xml version="1.0" encoding="UTF-8"?>
<loadbalancer>
  <cluster name="c1">
    <instance name="i1"/>
  </cluster>
</loadbalancer>
)",
                                    "lb.xml");
    INFO(all_text(result));
    CHECK_FALSE(result.ok());
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].text().rfind("lb.xml:4: ", 0) == 0);
    CHECK(result.diagnostics[0].message.find("listeners") != std::string::npos);
}

TEST_CASE("malformed XML names its line", "[config][loader]") {
    const auto result =
        load_string("<loadbalancer>\n  <cluster name=\"c1\">\n</loadbalancer>\n", "broken.xml");
    INFO(all_text(result));
    CHECK_FALSE(result.ok());
    REQUIRE_FALSE(result.diagnostics.empty());
    CHECK(result.diagnostics[0].text().rfind("broken.xml:3: ", 0) == 0);
}

TEST_CASE("unknown element without a DOCTYPE is invalid", "[config][loader]") {
    const auto result =
        load_string("<loadbalancer>\n  <clutser name=\"c1\"/>\n</loadbalancer>\n", "typo.xml");
    INFO(all_text(result));
    CHECK_FALSE(result.ok());
    CHECK(all_text(result).find("typo.xml:2: No declaration for element clutser") !=
          std::string::npos);
}

TEST_CASE("GlassFish DTD rejects the extension attributes", "[config][loader]") {
    const auto result = load_string(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE loadbalancer PUBLIC \"-//Sun Microsystems Inc.//DTD "
        "Sun Java System Application Server 9.1//EN\" \"glassfish-loadbalancer_1_3.dtd\">\n"
        "<loadbalancer>\n  <cluster name=\"c\">\n"
        "    <instance name=\"i\" listeners=\"http://h:1\" version=\"2\"/>\n"
        "  </cluster>\n</loadbalancer>\n",
        "gf.xml");
    INFO(all_text(result));
    CHECK_FALSE(result.ok());
    CHECK(all_text(result).find("gf.xml:5: ") != std::string::npos);
    CHECK(all_text(result).find("version") != std::string::npos);
}

TEST_CASE("sun 1.1 DTD has no weight", "[config][loader]") {
    const std::string head =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE loadbalancer SYSTEM \"sun-loadbalancer_1_1.dtd\">\n";
    const auto old_style = load_string(
        head +
            "<loadbalancer><cluster name=\"c\"><instance name=\"i\" listeners=\"http://h:1\"/>"
            "</cluster></loadbalancer>\n",
        "old.xml");
    CHECK(old_style.ok());
    const auto weighted = load_string(
        head +
            "<loadbalancer><cluster name=\"c\"><instance name=\"i\" listeners=\"http://h:1\" "
            "weight=\"5\"/></cluster></loadbalancer>\n",
        "old.xml");
    INFO(all_text(weighted));
    CHECK_FALSE(weighted.ok());
    CHECK(all_text(weighted).find("weight") != std::string::npos);
}

TEST_CASE("DOCTYPE without a system id uses the default DTD", "[config][loader]") {
    const auto good = load_string(
        "<!DOCTYPE loadbalancer>\n<loadbalancer><cluster name=\"c\"/></loadbalancer>\n", "d.xml");
    CHECK(good.ok());
    const auto bad = load_string(
        "<!DOCTYPE loadbalancer>\n<loadbalancer>\n<cluster/></loadbalancer>\n", "d.xml");
    INFO(all_text(bad));
    CHECK_FALSE(bad.ok());
    CHECK(all_text(bad).find("d.xml:3: ") != std::string::npos);
}

TEST_CASE("context roots are normalised", "[config][loader]") {
    const auto result = load_string(R"(<loadbalancer>
  <cluster name="c">
    <web-module context-root="clusterjsp"/>
    <web-module context-root="/shop/"/>
    <web-module context-root="/"/>
  </cluster>
</loadbalancer>)",
                                    "roots.xml");
    INFO(all_text(result));
    REQUIRE(result.ok());
    const auto& modules = result.config->clusters.at(0).web_modules;
    CHECK(modules.at(0).context_root == "/clusterjsp");
    CHECK(modules.at(1).context_root == "/shop");
    CHECK(modules.at(2).context_root == "/");
}

TEST_CASE("listener URL forms", "[config][loader]") {
    const auto result = load_string(
        "<loadbalancer><cluster name=\"c\"><instance name=\"i\" listeners=\"  http://h:80\t"
        "https://10.0.0.1:443\n ajp://[::1]:8009 \"/></cluster></loadbalancer>",
        "l.xml");
    INFO(all_text(result));
    REQUIRE(result.ok());
    const auto& listeners = result.config->clusters.at(0).instances.at(0).listeners;
    REQUIRE(listeners.size() == 3);
    CHECK(listeners[0].url() == "http://h:80");
    CHECK(listeners[1].url() == "https://10.0.0.1:443");
    CHECK(listeners[2].host == "::1");
    CHECK(listeners[2].url() == "ajp://[::1]:8009");
}

TEST_CASE("booleans take every %boolean spelling", "[config][loader]") {
    for (const auto& [text, value] : std::vector<std::pair<std::string, bool>>{{"yes", true},
                                                                               {"no", false},
                                                                               {"on", true},
                                                                               {"off", false},
                                                                               {"1", true},
                                                                               {"0", false},
                                                                               {"true", true},
                                                                               {"false", false}}) {
        const auto result = load_string(
            "<loadbalancer><cluster name=\"c\"><instance name=\"i\" listeners=\"http://h:1\" "
            "enabled=\"" +
                text + "\"/></cluster></loadbalancer>",
            "b.xml");
        INFO(text << "\n" << all_text(result));
        REQUIRE(result.ok());
        CHECK(result.config->clusters.at(0).instances.at(0).enabled == value);
    }
}

TEST_CASE("unreadable file is an error without a line", "[config][loader]") {
    const auto result = load_file("/nonexistent/loadbalancer.xml");
    CHECK_FALSE(result.ok());
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].line == 0);
    CHECK(result.diagnostics[0].text().rfind("/nonexistent/loadbalancer.xml: ", 0) == 0);
}

TEST_CASE("diagnostics come in line order", "[config][loader]") {
    const auto result = load_string(R"(<loadbalancer>
  <cluster name="c">
    <instance name="i" listeners="http://h:1"/>
  </cluster>
  <cluster name="c"/>
  <property name="unknown-1" value="x"/>
</loadbalancer>)",
                                    "order.xml");
    REQUIRE(result.diagnostics.size() == 2);
    CHECK(result.diagnostics[0].line == 5);
    CHECK(result.diagnostics[1].line == 6);
    CHECK(result.diagnostics[1].severity == Diagnostic::Severity::Warning);
}

TEST_CASE("property description is kept", "[config][loader]") {
    const auto result = load_string(
        "<loadbalancer><property name=\"https-routing\" value=\"yes\"><description>A &amp; B"
        "</description></property></loadbalancer>",
        "p.xml");
    INFO(all_text(result));
    REQUIRE(result.ok());
    CHECK(result.config->properties.at(0).description == "A & B");
}
