// One rule for where a health ping goes, shared by the active checker and the manager.
#include <catch2/catch.hpp>

#include "health/instance_ping.hpp"
#include "loopback_instance.hpp"

namespace config = zdu::config;
using zdu::health::instance_ping_target;
using zdu::health::ping_path;
using zdu::health::PingTarget;

TEST_CASE("a health-checker url is a path on each instance's listener", "[health]") {
    CHECK(ping_path("/") == "/");
    CHECK(ping_path("") == "/");
    CHECK(ping_path("/health?deep=1") == "/health?deep=1");
    CHECK(ping_path("health") == "/health");
}

TEST_CASE("a full health-checker URL contributes only its path", "[health]") {
    // Not "/http://elsewhere:1/deep": the checker once built that path from a full URL.
    CHECK(ping_path("http://elsewhere:1/deep/ping") == "/deep/ping");
    CHECK(ping_path("HTTPS://elsewhere/x?y=1") == "/x?y=1");
    CHECK(ping_path("http://elsewhere:1") == "/");
}

TEST_CASE("an instance is pinged on its first http listener", "[health]") {
    config::Cluster c;
    c.health_checker = config::HealthChecker{"http://ignored:1/probe", 5, 3, 0};
    config::Instance i = loopback_instance("a", 100, "", 8081);
    i.listeners.insert(i.listeners.begin(), {config::Scheme::Https, "127.0.0.1", 8181});
    i.listeners.push_back({config::Scheme::Http, "127.0.0.1", 8082});
    PingTarget t;
    REQUIRE(instance_ping_target(c, i, t));
    CHECK(t.host == "127.0.0.1");
    CHECK(t.port == 8081);
    CHECK(t.path == "/probe");

    c.health_checker.reset();
    REQUIRE(instance_ping_target(c, i, t));
    CHECK(t.path == "/");

    config::Instance ajp = loopback_instance("b");
    ajp.listeners[0].scheme = config::Scheme::Ajp;
    CHECK_FALSE(instance_ping_target(c, ajp, t));
}
