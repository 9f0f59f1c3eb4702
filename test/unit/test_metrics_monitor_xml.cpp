// /lbgetmonitordata: GlassFish's stats document from StatusData.
#include <catch2/catch.hpp>
#include <string>

#include "manager/status.hpp"
#include "metrics/monitor_xml.hpp"

using namespace zdu;

TEST_CASE("attribute values are escaped for XML", "[metrics][monitor]") {
    CHECK(metrics::xml_attribute(R"(a&b<c>"d'e)") == "a&amp;b&lt;c&gt;&quot;d&apos;e");
    CHECK(metrics::xml_attribute("tab\there\x01") == "tab&#9;here ");
    CHECK(metrics::xml_attribute("/caf\xc3\xa9") == "/caf\xc3\xa9");
}

TEST_CASE("an empty config is an empty load-balancer-stats", "[metrics][monitor]") {
    const std::string xml = metrics::monitor_xml({});
    CHECK_THAT(xml, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                      "<!DOCTYPE load-balancer-stats PUBLIC "));
    CHECK_THAT(xml, Catch::EndsWith("<load-balancer-stats>\n</load-balancer-stats>\n"));
}

TEST_CASE("instances carry health and requests, applications their times and errors",
          "[metrics][monitor]") {
    manager::StatusData data;
    manager::ClusterStatus c;
    c.name = "c&1";
    manager::InstanceStatus a;
    a.name = "a";
    a.requests = 5;
    a.busy = 2;
    manager::InstanceStatus b;
    b.name = "b";
    b.requests = 3;
    b.unhealthy_since_ms = 1;
    c.instances = {a, b};
    manager::WebModuleStatus w;
    w.context_root = "/app";
    w.requests = 8;
    w.failures = 1;
    w.failovers = 2;
    w.answered = 4;
    w.answer_total_us = 10'000;
    w.answer_min_us = 1'000;
    w.answer_max_us = 4'250;
    c.web_modules = {w};
    data.clusters = {c};
    // Cluster without web-modules: empty instance-stats.
    manager::ClusterStatus empty;
    empty.name = "e";
    manager::InstanceStatus e;
    e.name = "e1";
    empty.instances = {e};
    data.clusters.push_back(empty);

    // The same application figures under each instance, but its own requests in flight.
    auto app = [](const char* active) {
        return std::string(R"(      <application-stats id="/app" average-response-time="2.500")"
                           R"( min-response-time="1.000" max-response-time="4.250")"
                           R"( num-failover-requests="2" num-error-requests="1")"
                           R"( num-active-requests=")") +
               active + R"(" num-idempotent-url-requests="0" num-total-requests="8"/>)" + "\n";
    };
    const std::string expected =
        "<load-balancer-stats>\n"
        "  <cluster-stats id=\"c&amp;1\">\n"
        "    <instance-stats id=\"a\" health=\"healthy\" num-total-requests=\"5\""
        " num-active-requests=\"2\">\n" +
        app("2") +
        "    </instance-stats>\n"
        "    <instance-stats id=\"b\" health=\"unhealthy\" num-total-requests=\"3\""
        " num-active-requests=\"0\">\n" +
        app("0") +
        "    </instance-stats>\n"
        "  </cluster-stats>\n"
        "  <cluster-stats id=\"e\">\n"
        "    <instance-stats id=\"e1\" health=\"healthy\" num-total-requests=\"0\""
        " num-active-requests=\"0\"/>\n"
        "  </cluster-stats>\n"
        "</load-balancer-stats>\n";
    CHECK_THAT(metrics::monitor_xml(data), Catch::EndsWith(expected));
}
