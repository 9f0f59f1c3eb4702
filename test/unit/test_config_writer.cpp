// Writing loadbalancer.xml: GlassFish's layout, the DOCTYPE that fits the model, escaping, and
// load(write(model)) == model.
#include <catch2/catch.hpp>
#include <string>

#include "config/loader.hpp"
#include "config/writer.hpp"
#include "diagnostics_text.hpp"

using namespace zdu::config;

namespace {

Instance instance(std::string name, std::string host) {
    Instance i;
    i.name = std::move(name);
    i.listeners = {{Scheme::Http, host, 8080}, {Scheme::Https, host, 8181}};
    return i;
}

// Every field away from its default, extensions included.
LoadBalancer full_model() {
    Instance a = instance("i1", "app1");
    a.enabled = false;
    a.disable_timeout_minutes = 5;
    a.weight = 250;
    a.version = "2.0";
    a.route = "r1";
    a.domain = "rack-a";
    Instance b = instance("i2", "::1");
    b.listeners.push_back({Scheme::Ajp, "10.1.2.3", 8009});
    b.version = "2.1";

    WebModule w;
    w.context_root = "/shop";
    w.enabled = false;
    w.disable_timeout_minutes = 7;
    w.error_url = "http://example.com/sorry?a=1&b=\"2\"";
    w.idempotent_url_patterns = {{"/shop/*", 4, 0}, {"*.jsp", -1, 0}};
    w.logout_url_pattern = "/logout *.bye";
    w.session_timeout_minutes = 12;
    w.stale_session = WebModule::StaleSession::ErrorUrl;

    Cluster c;
    c.name = "c<1>";
    c.policy = Policy::UserDefined;
    c.policy_module = "/opt/policy.so";
    c.session_cookie = "SHOPSESSION";
    c.active_version = "2.0";
    c.canary_version = "2.1";
    c.canary_percent = 10;
    c.instances = {a, b};
    c.web_modules = {w};
    c.health_checker = HealthChecker{"/health", 0, 3, 0};

    Cluster empty;
    empty.name = "spare";
    empty.policy = Policy::WeightedRoundRobin;

    LoadBalancer lb;
    lb.clusters = {c, empty};
    lb.properties = {{"https-routing", "true", "routes\tHTTPS & HTTP\nalike", 0},
                     {"zdu-minute-in-seconds", "1", "", 0}};
    return lb;
}

LoadResult reload(const LoadBalancer& lb) {
    return load_string(write_xml(lb, "Mon Jan 05 10:00:00 UTC 2026"), "written.xml");
}

}  // namespace

TEST_CASE("writer output matches GlassFish's layout", "[config][writer]") {
    Instance i = instance("i1", "h1");
    i.listeners.pop_back();
    WebModule w;
    w.context_root = "/app";
    w.idempotent_url_patterns = {{"/app/*", 2, 0}};
    Cluster c;
    c.name = "c1";
    c.instances = {i};
    c.web_modules = {w};
    c.health_checker = HealthChecker{};
    LoadBalancer lb;
    lb.clusters = {c};
    lb.properties = {{"rewrite-location", "true", "", 0}};

    CHECK(write_xml(lb, "Mon Jan 05 10:00:00 UTC 2026") ==
          R"(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE loadbalancer PUBLIC "-//Sun Microsystems Inc.//DTD Sun Java System Application Server 9.1//EN" "glassfish-loadbalancer_1_3.dtd">
<loadbalancer>
  <cluster name="c1" policy="round-robin" policy-module="">
    <instance name="i1" enabled="true" disable-timeout-in-minutes="31" listeners="http://h1:8080" weight="100"/>
    <web-module context-root="/app" enabled="true" disable-timeout-in-minutes="31">
      <idempotent-url-pattern url-pattern="/app/*" no-of-retries="2"/>
    </web-module>
    <health-checker url="/" interval-in-seconds="30" timeout-in-seconds="10"/>
  </cluster>
  <property name="rewrite-location" value="true"/>
</loadbalancer>
<!--
 This file was generated on: [Mon Jan 05 10:00:00 UTC 2026].
-->
)");
}

TEST_CASE("extension attributes switch to the zdu DOCTYPE", "[config][writer]") {
    const std::string xml = write_xml(full_model(), "now");
    CHECK(xml.find("<!DOCTYPE loadbalancer PUBLIC \"-//mod_zdu//DTD Load Balancer 1.4//EN\" "
                   "\"zdu-loadbalancer_1_4.dtd\">\n") != std::string::npos);
    CHECK(xml.find("glassfish-loadbalancer_1_3.dtd") == std::string::npos);
    CHECK(xml.find(R"(<instance name="i1" enabled="false" disable-timeout-in-minutes="5" )"
                   R"(listeners="http://app1:8080 https://app1:8181" weight="250" version="2.0" )"
                   R"(route="r1" domain="rack-a"/>)") != std::string::npos);
    CHECK(xml.find(R"(policy-module="/opt/policy.so" session-cookie="SHOPSESSION" )"
                   R"(active-version="2.0" canary-version="2.1" canary-percent="10">)") !=
          std::string::npos);
    CHECK(xml.find(R"(logout-url-pattern="/logout *.bye" session-timeout-in-minutes="12" )"
                   R"(stale-session="error-url">)") != std::string::npos);
}

TEST_CASE("each upgrade extension alone switches to the zdu DOCTYPE", "[config][writer]") {
    auto doctype_of = [](const LoadBalancer& lb) {
        const std::string xml = write_xml(lb, "now");
        return xml.find("zdu-loadbalancer_1_4.dtd") != std::string::npos;
    };
    LoadBalancer lb;
    lb.clusters.resize(1);
    lb.clusters[0].name = "c";
    lb.clusters[0].web_modules.resize(1);
    lb.clusters[0].web_modules[0].context_root = "/a";
    CHECK_FALSE(doctype_of(lb));
    const auto with = [&](auto change) {
        LoadBalancer changed = lb;
        change(changed.clusters[0], changed.clusters[0].web_modules[0]);
        return doctype_of(changed);
    };
    CHECK(with([](Cluster& c, WebModule&) { c.active_version = "1"; }));
    CHECK(with([](Cluster& c, WebModule&) { c.canary_version = "2"; }));
    CHECK(with([](Cluster& c, WebModule&) { c.canary_percent = 5; }));
    CHECK(with([](Cluster&, WebModule& w) { w.logout_url_pattern = "/out"; }));
    CHECK(with([](Cluster&, WebModule& w) { w.session_timeout_minutes = 3; }));
    CHECK(
        with([](Cluster&, WebModule& w) { w.stale_session = WebModule::StaleSession::Failover; }));
}

TEST_CASE("values are escaped", "[config][writer]") {
    const std::string xml = write_xml(full_model(), "now");
    CHECK(xml.find(R"(<cluster name="c&lt;1&gt;")") != std::string::npos);
    CHECK(xml.find(R"(error-url="http://example.com/sorry?a=1&amp;b=&quot;2&quot;")") !=
          std::string::npos);
    CHECK(xml.find("<description>routes\tHTTPS &amp; HTTP\nalike</description>") !=
          std::string::npos);
}

TEST_CASE("error-url only when set", "[config][writer]") {
    WebModule w;
    w.context_root = "/a";
    Cluster c;
    c.name = "c";
    c.web_modules = {w};
    LoadBalancer lb;
    lb.clusters = {c};
    CHECK(write_xml(lb, "now").find("error-url") == std::string::npos);
    lb.clusters[0].web_modules[0].error_url = "/sorry.html";
    CHECK(write_xml(lb, "now").find(R"(error-url="/sorry.html")") != std::string::npos);
}

TEST_CASE("footer cannot end the comment early", "[config][writer]") {
    const std::string xml = write_xml(LoadBalancer{}, "a -- b --> c");
    CHECK(xml.find("<loadbalancer/>\n") != std::string::npos);
    CHECK(xml.find("a - - b - -> c") != std::string::npos);
    CHECK(load_string(xml, "footer.xml").ok());
}

TEST_CASE("round trip of a model with every field set", "[config][writer]") {
    const LoadBalancer model = full_model();
    const auto result = reload(model);
    INFO(write_xml(model, "now") << all_text(result));
    REQUIRE(result.ok());
    CHECK(*result.config == model);
}

TEST_CASE("round trip of a GlassFish-only model keeps the GlassFish DTD", "[config][writer]") {
    LoadBalancer model = full_model();
    for (auto& c : model.clusters) {
        c.session_cookie.clear();
        c.active_version = c.canary_version = "";
        c.canary_percent = 0;
        for (auto& i : c.instances) i.version = i.route = i.domain = "";
        for (auto& w : c.web_modules) {
            w.logout_url_pattern.clear();
            w.session_timeout_minutes = 0;
            w.stale_session = WebModule::StaleSession::Redirect;
        }
    }
    const std::string xml = write_xml(model, "now");
    CHECK(xml.find("\"glassfish-loadbalancer_1_3.dtd\"") != std::string::npos);
    const auto result = reload(model);
    INFO(all_text(result));
    REQUIRE(result.ok());
    CHECK(*result.config == model);
}

TEST_CASE("round trip of every conf-sample", "[config][writer]") {
    const std::string name =
        GENERATE(as<std::string>{}, "glassfish-export.xml", "minimal.xml", "versions.xml");
    const auto loaded = load_file(std::string(ZDU_SOURCE_DIR) + "/conf-samples/" + name);
    INFO(name << "\n" << all_text(loaded));
    REQUIRE(loaded.ok());
    const auto again = reload(*loaded.config);
    INFO(all_text(again));
    REQUIRE(again.ok());
    CHECK(*again.config == *loaded.config);
    // Writing is stable: the second generation is the first.
    CHECK(write_xml(*again.config, "now") == write_xml(*loaded.config, "now"));
}

TEST_CASE("line numbers are not part of equality", "[config][writer]") {
    LoadBalancer a = full_model();
    LoadBalancer b = full_model();
    b.clusters[0].line = 12;
    b.clusters[0].instances[0].line = 13;
    b.clusters[0].web_modules[0].line = 14;
    b.properties[0].line = 15;
    CHECK(a == b);
    b.clusters[0].instances[0].weight = 1;
    CHECK_FALSE(a == b);
}
