// Loading a cluster description: the sample, defaults, and every refusal located at file:line.
#include <catch2/catch.hpp>

#include "description/model.hpp"
#include "description_test_support.hpp"

using namespace zdu::description;
using zdu::config::Listener;
using zdu::config::Policy;
using zdu::config::Scheme;

namespace {

// A small valid description; tests splice their broken part into it.
std::string with_body(const std::string& body) {
    return kDescriptionHead + "<cluster-description>\n" + body + "</cluster-description>\n";
}

const std::string kApps =
    "<applications>\n"                                   // line 4
    "  <application name=\"a\" context-root=\"/a\"/>\n"  // line 5
    "</applications>\n";                                 // line 6

}  // namespace

TEST_CASE("the commented sample loads with its lines", "[description][loader]") {
    const Description d = load_description(source_path("conf-samples/cluster-description.xml"));
    REQUIRE(d.applications.size() == 2);
    const Application& shop = d.applications[0];
    CHECK(shop.context_root == "/shop");
    CHECK(shop.logout_url_pattern == "/logout /account/signout");
    REQUIRE(shop.idempotent_url_patterns.size() == 2);
    CHECK(shop.idempotent_url_patterns[0].no_of_retries == 3);
    CHECK(shop.idempotent_url_patterns[1].no_of_retries == -1);
    CHECK(d.applications[1].session_timeout_minutes == 60);

    REQUIRE(d.clusters.size() == 1);
    const Cluster& c = d.clusters[0];
    CHECK(c.canary_percent == 10);
    REQUIRE(c.servers.size() == 3);
    CHECK(c.servers[0].line == 31);
    CHECK(c.servers[1].weight == 200);
    REQUIRE(c.servers[1].listeners.size() == 2);
    CHECK(c.servers[1].listeners[1] == Listener{Scheme::Https, "10.0.0.12", std::uint16_t{8181}});
    CHECK(c.servers[2].route == "i3");
    REQUIRE(d.servers.size() == 1);
    CHECK(d.servers[0].application_refs.at(0).ref == "reports");

    const LbConfig* l = find_lb_config(d, "shop-lb-config");
    REQUIRE(l != nullptr);
    REQUIRE(l->cluster_refs.size() == 1);
    CHECK(l->cluster_refs[0].policy == Policy::WeightedRoundRobin);
    REQUIRE(l->cluster_refs[0].health_checker.has_value());
    CHECK(l->cluster_refs[0].health_checker->timeout_seconds == 5);
    CHECK(l->cluster_refs[0].server_refs[0].lb_enabled);
    CHECK(l->cluster_refs[0].server_refs[0].disable_timeout_minutes == 30);
    CHECK_FALSE(l->cluster_refs[0].server_refs[2].lb_enabled);
    CHECK(l->server_refs.at(0).application_refs.at(0).disable_timeout_minutes == 10);
    CHECK(l->properties.at(1).description == "how often the file is checked");

    const LoadBalancerDef* b = find_load_balancer(d, "shop-lb");
    REQUIRE(b != nullptr);
    CHECK(b->secret_file == "/etc/zdu/manager-secret");
    REQUIRE(b->front_ends.size() == 2);
    CHECK(b->front_ends[1].url == "https://web2.example.com/zdu-manager");
    CHECK(find_load_balancer(d, "nope") == nullptr);

    const Cluster* owner = nullptr;
    CHECK(find_clustered_server(d, "shop-i2", &owner) == &c.servers[1]);
    CHECK(owner == &c);
    CHECK(find_clustered_server(d, "reports-server") == nullptr);
    CHECK(find_standalone_server(d, "reports-server") == &d.servers[0]);
}

TEST_CASE("an empty description is valid", "[description][loader]") {
    const Description d = load_description_string(with_body(""), "d.xml");
    CHECK(d == Description{});
    CHECK(d.file == "d.xml");
}

TEST_CASE("a description without a DOCTYPE is checked against its own DTD",
          "[description][loader]") {
    const std::string xml =
        "<?xml version=\"1.0\"?>\n<cluster-description>\n"
        "<clusters><cluster/></clusters>\n</cluster-description>\n";
    const std::string errors = load_errors(xml);
    CHECK_THAT(errors, Catch::Contains("d.xml:3:"));
    CHECK_THAT(errors, Catch::Contains("name"));
    CHECK(load_errors("<?xml version=\"1.0\"?>\n<cluster-description/>\n").empty());
}

TEST_CASE("a loadbalancer.xml is not a description", "[description][loader]") {
    const std::string xml =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE loadbalancer PUBLIC \"-//mod_zdu//DTD Load Balancer "
        "1.4//EN\" \"zdu-loadbalancer_1_4.dtd\">\n<loadbalancer/>\n";
    const std::string errors = load_errors(xml);
    CHECK_THAT(errors, Catch::Contains("a cluster description has <cluster-description>"));
    CHECK_THAT(errors, Catch::Contains("names 'zdu-cluster-description_1_0.dtd'"));
}

TEST_CASE("DTD violations name their line", "[description][loader]") {
    CHECK_THAT(load_errors(with_body("<clusters>\n<bogus/>\n</clusters>\n")),
               Catch::Contains("d.xml:5:"));
    CHECK_THAT(load_errors(with_body(kApps + "<servers>\n<server name=\"s\"/>\n</servers>\n")),
               Catch::Contains("d.xml:8:"));
}

TEST_CASE("an entity is refused", "[description][loader]") {
    const std::string xml =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE cluster-description PUBLIC \"x\" "
        "\"zdu-cluster-description_1_0.dtd\" [\n  <!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n"
        "<cluster-description/>\n";
    CHECK_THAT(load_errors(xml), Catch::Contains("may not declare entities"));
}

TEST_CASE("values the DTD keeps as text are checked", "[description][loader]") {
    SECTION("listeners") {
        const std::string e = load_errors(
            with_body("<servers>\n<server name=\"s\" listeners=\"ftp://h:1\"/>\n</servers>\n"));
        CHECK_THAT(e, Catch::Contains("d.xml:5: server 's':"));
        CHECK(load_errors(
                  with_body("<servers>\n<server name=\"s\" listeners=\" \"/>\n</servers>\n")) ==
              "d.xml:5: server 's': listeners ' ' names no listener");
    }
    SECTION("numbers and flags") {
        CHECK(load_errors(with_body("<servers>\n<server name=\"s\" listeners=\"http://h:1\" "
                                    "weight=\"heavy\"/>\n</servers>\n")) ==
              "d.xml:5: server 's': weight 'heavy' is not an integer");
        CHECK(load_errors(with_body("<clusters>\n<cluster name=\"c\" canary-percent=\"x\"/>\n"
                                    "</clusters>\n")) ==
              "d.xml:5: cluster 'c': canary-percent 'x' is not an integer");
    }
    SECTION("policy and stale-session") {
        CHECK_THAT(load_errors(with_body("<clusters><cluster name=\"c\"/></clusters>\n"
                                         "<lb-configs>\n<lb-config name=\"l\">\n"
                                         "<cluster-ref ref=\"c\" lb-policy=\"random\"/>\n"
                                         "</lb-config></lb-configs>\n")),
                   Catch::Contains("d.xml:7: lb-config 'l', cluster-ref 'c': lb-policy 'random' "
                                   "is unknown"));
        CHECK_THAT(load_errors(with_body("<applications>\n<application name=\"a\" "
                                         "context-root=\"/a\" stale-session=\"drop\"/>\n"
                                         "</applications>\n")),
                   Catch::Contains("d.xml:5: application 'a': stale-session 'drop' is unknown"));
    }
}

TEST_CASE("names are unique", "[description][loader]") {
    CHECK(load_errors(with_body(kApps.substr(0, kApps.size() - 16) +
                                "  <application name=\"a\" context-root=\"/b\"/>\n"
                                "</applications>\n")) ==
          "d.xml:6: application 'a' is defined twice");
    // A clustered and a standalone server share the name space: a server-ref names either.
    CHECK(load_errors(with_body("<clusters>\n<cluster name=\"c\">\n"
                                "<server name=\"s\" listeners=\"http://h:1\"/>\n</cluster>\n"
                                "</clusters>\n<servers>\n"
                                "<server name=\"s\" listeners=\"http://h:2\"/>\n</servers>\n")) ==
          "d.xml:10: server 's' is defined twice");
}

TEST_CASE("references must resolve", "[description][loader]") {
    const std::string cluster = kApps +
                                "<clusters>\n"                                      // 7
                                "<cluster name=\"c\">\n"                            // 8
                                "<server name=\"i1\" listeners=\"http://h:1\"/>\n"  // 9
                                "<application-ref ref=\"a\"/>\n"                    // 10
                                "</cluster>\n"                                      // 11
                                "</clusters>\n"                                     // 12
                                "<servers>\n"                                       // 13
                                "<server name=\"s\" listeners=\"http://h:2\"/>\n"   // 14
                                "</servers>\n";                                     // 15
    const auto lb_config = [&](const std::string& inside) {
        return with_body(cluster + "<lb-configs>\n<lb-config name=\"l\">\n" + inside +
                         "</lb-config>\n</lb-configs>\n");  // inside starts on line 18
    };
    CHECK(load_errors(lb_config("")).empty());
    CHECK(load_errors(lb_config("<cluster-ref ref=\"x\"/>\n")) ==
          "d.xml:18: lb-config 'l', cluster-ref 'x' names no cluster");
    CHECK(load_errors(lb_config("<cluster-ref ref=\"c\">\n<server-ref ref=\"s\"/>\n"
                                "</cluster-ref>\n")) ==
          "d.xml:19: lb-config 'l', cluster-ref 'c': server 's' is not a member of cluster 'c'");
    CHECK(load_errors(lb_config("<cluster-ref ref=\"c\">\n<application-ref ref=\"zz\"/>\n"
                                "</cluster-ref>\n")) ==
          "d.xml:19: lb-config 'l', cluster-ref 'c': application 'zz' is not deployed on "
          "cluster 'c'");
    CHECK(load_errors(lb_config("<server-ref ref=\"i1\"/>\n")) ==
          "d.xml:18: lb-config 'l', server-ref 'i1' names a member of cluster 'c'; reference "
          "the cluster with a cluster-ref");
    CHECK(load_errors(lb_config("<server-ref ref=\"nobody\"/>\n")) ==
          "d.xml:18: lb-config 'l', server-ref 'nobody' names no standalone server");
    CHECK(load_errors(lb_config("<cluster-ref ref=\"c\"/>\n<cluster-ref ref=\"c\"/>\n")) ==
          "d.xml:19: lb-config 'l': cluster 'c' is referenced twice");
    CHECK(
        load_errors(with_body(kApps + "<clusters>\n<cluster name=\"c\">\n"
                                      "<application-ref ref=\"b\"/>\n</cluster>\n</clusters>\n")) ==
        "d.xml:9: cluster 'c': application-ref 'b' names no application");
    CHECK(load_errors(with_body("<lb-configs><lb-config name=\"l\"/></lb-configs>\n"
                                "<load-balancers>\n"
                                "<load-balancer name=\"b\" lb-config-name=\"m\"/>\n"
                                "</load-balancers>\n")) ==
          "d.xml:6: load-balancer 'b': lb-config-name 'm' names no lb-config");
}

TEST_CASE("a file that cannot be read is named", "[description][loader]") {
    try {
        load_description("/nonexistent/description.xml");
        FAIL("loaded a file that does not exist");
    } catch (const DescriptionError& e) {
        REQUIRE(e.diagnostics().size() == 1);
        CHECK_THAT(e.diagnostics()[0].text(),
                   Catch::StartsWith("/nonexistent/description.xml: cannot read the file:"));
    }
}
