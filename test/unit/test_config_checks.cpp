// One test per semantic rule of loadbalancer.xml: each error names the file, the line of the
// offending element and the offending value.
#include <algorithm>
#include <catch2/catch.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

#include "config/loader.hpp"
#include "diagnostics_text.hpp"

using namespace zdu::config;

namespace {

// The body goes after two fixed lines, so its first line is line 3 of the file.
std::string doc(std::string_view body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<loadbalancer>\n" + std::string(body) +
           "</loadbalancer>\n";
}

bool contains_all(const std::string& text, std::initializer_list<std::string_view> parts) {
    return std::all_of(parts.begin(), parts.end(),
                       [&](std::string_view part) { return text.find(part) != std::string::npos; });
}

// Requires an error at checks.xml:`line` whose message holds every one of `parts`.
void require_error(std::string_view body, int line, std::initializer_list<std::string_view> parts) {
    const auto result = load_string(doc(body), "checks.xml");
    const std::string prefix = "checks.xml:" + std::to_string(line) + ": ";
    std::string all;
    bool found = false;
    for (const auto& d : result.diagnostics) {
        all += d.text() + "\n";
        found = found || (d.severity == Diagnostic::Severity::Error &&
                          d.text().rfind(prefix, 0) == 0 && contains_all(d.message, parts));
    }
    INFO(all);
    CHECK_FALSE(result.ok());
    CHECK(result.config == nullptr);
    CHECK(found);
}

constexpr std::string_view kInstance =
    R"(    <instance name="i1" listeners="http://h1:8080"/>
)";

}  // namespace

TEST_CASE("duplicate cluster name", "[config][checks]") {
    require_error(R"(  <cluster name="c1"/>
  <cluster name="c1"/>
)",
                  4, {"'c1'", "twice", "line 3"});
}

TEST_CASE("duplicate instance name within a cluster", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://h1:8080"/>
    <instance name="i1" listeners="http://h2:8080"/>
  </cluster>
)",
                  5, {"'i1'", "twice", "'c1'", "line 4"});
}

TEST_CASE("same instance name in two clusters is fine", "[config][checks]") {
    const auto result = load_string(doc(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://h1:8080"/>
  </cluster>
  <cluster name="c2">
    <instance name="i1" listeners="http://h2:8080"/>
  </cluster>
)"),
                                    "checks.xml");
    CHECK(result.ok());
}

TEST_CASE("context root mapped to two clusters", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <web-module context-root="/app"/>
  </cluster>
  <cluster name="c2">
    <web-module context-root="app/"/>
  </cluster>
)",
                  7, {"'/app'", "'c2'", "'c1'", "line 4"});
}

TEST_CASE("context root twice in one cluster", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <web-module context-root="/app"/>
    <web-module context-root="/app"/>
  </cluster>
)",
                  5, {"'/app'", "already mapped"});
}

TEST_CASE("listener with an unknown scheme", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://h1:8080 ftp://h1:21"/>
  </cluster>
)",
                  4, {"'i1'", "'ftp://h1:21'", "'ftp'"});
}

TEST_CASE("listener without a scheme", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="h1:8080"/>
  </cluster>
)",
                  4, {"'h1:8080'", "not a URL"});
}

TEST_CASE("listener without a host", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://:8080"/>
  </cluster>
)",
                  4, {"'http://:8080'", "no host"});
}

TEST_CASE("listener without a port", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="https://h1"/>
  </cluster>
)",
                  4, {"'https://h1'", "no port"});
}

TEST_CASE("listener port out of range", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://127.0.0.1:99999"/>
  </cluster>
)",
                  4, {"'http://127.0.0.1:99999'", "'99999'", "1..65535"});
}

TEST_CASE("listener port zero", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="ajp://h1:0"/>
  </cluster>
)",
                  4, {"'ajp://h1:0'", "'0'"});
}

TEST_CASE("listener with a malformed host", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://h1/x:8080"/>
  </cluster>
)",
                  4, {"'http://h1/x:8080'", "'h1/x'"});
}

TEST_CASE("listeners naming no listener", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="  "/>
  </cluster>
)",
                  4, {"'i1'", "no listener"});
}

TEST_CASE("weight that is not an integer", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://h1:8080" weight="heavy"/>
  </cluster>
)",
                  4, {"'i1'", "weight", "'heavy'", "not an integer"});
}

TEST_CASE("weight too large for an int", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://h1:8080" weight="99999999999"/>
  </cluster>
)",
                  4, {"weight", "'99999999999'"});
}

TEST_CASE("negative weight", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://h1:8080" weight="-1"/>
  </cluster>
)",
                  4, {"'i1'", "weight -1", ">= 0"});
}

TEST_CASE("negative instance disable timeout", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://h1:8080" disable-timeout-in-minutes="-5"/>
  </cluster>
)",
                  4, {"'i1'", "disable-timeout-in-minutes -5"});
}

TEST_CASE("negative web-module disable timeout", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <web-module context-root="/app" disable-timeout-in-minutes="-1"/>
  </cluster>
)",
                  4, {"'/app'", "disable-timeout-in-minutes -1"});
}

TEST_CASE("no-of-retries below -1", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <web-module context-root="/app">
      <idempotent-url-pattern url-pattern="/app/*" no-of-retries="-2"/>
    </web-module>
  </cluster>
)",
                  5, {"'/app/*'", "no-of-retries -2", ">= -1"});
}

TEST_CASE("no-of-retries not an integer", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <web-module context-root="/app">
      <idempotent-url-pattern url-pattern="/app/*" no-of-retries="3.5"/>
    </web-module>
  </cluster>
)",
                  5, {"no-of-retries", "'3.5'"});
}

TEST_CASE("negative health-check interval", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <health-checker interval-in-seconds="-30"/>
  </cluster>
)",
                  4, {"'c1'", "interval-in-seconds -30"});
}

TEST_CASE("health-check timeout zero", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <health-checker timeout-in-seconds="0"/>
  </cluster>
)",
                  4, {"'c1'", "timeout-in-seconds 0", ">= 1"});
}

TEST_CASE("unknown policy", "[config][checks]") {
    require_error(R"(  <cluster name="c1" policy="random"/>
)",
                  3, {"'c1'", "'random'", "unknown"});
}

TEST_CASE("user-defined policy without a module", "[config][checks]") {
    require_error(R"(  <cluster name="c1" policy="user-defined"/>
)",
                  3, {"'c1'", "user-defined", "policy-module"});
}

TEST_CASE("user-defined policy with a module is fine", "[config][checks]") {
    const auto result =
        load_string(doc(R"(  <cluster name="c1" policy="user-defined" policy-module="/x.so"/>
)"),
                    "checks.xml");
    CHECK(result.ok());
}

TEST_CASE("duplicate explicit route in a cluster", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://h1:8080" route="r1"/>
    <instance name="i2" listeners="http://h2:8080" route="r1"/>
  </cluster>
)",
                  5, {"'i2'", "'r1'", "'i1'", "line 4"});
}

TEST_CASE("route with characters a cookie cannot carry", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://h1:8080" route="r 1;"/>
  </cluster>
)",
                  4, {"'i1'", "'r 1;'"});
}

TEST_CASE("route with a session-id separator", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://h1:8080" route="r.1"/>
  </cluster>
)",
                  4, {"'i1'", "'r.1'"});
}

TEST_CASE("session cookie that is not a cookie name", "[config][checks]") {
    require_error(R"(  <cluster name="c1" session-cookie="MY SESSION"/>
)",
                  3, {"'c1'", "'MY SESSION'"});
}

TEST_CASE("unknown property is a warning only", "[config][checks]") {
    const auto result = load_string(doc(R"(  <cluster name="c1">
)" + std::string(kInstance) + R"(  </cluster>
  <property name="no-such-property" value="1"/>
)"),
                                    "checks.xml");
    REQUIRE(result.ok());
    REQUIRE(result.diagnostics.size() == 1);
    const auto& d = result.diagnostics.front();
    CHECK(d.severity == Diagnostic::Severity::Warning);
    CHECK(d.text().rfind("checks.xml:6: warning: ", 0) == 0);
    CHECK(d.message.find("'no-such-property'") != std::string::npos);
}

TEST_CASE("bad boolean property value", "[config][checks]") {
    require_error(R"(  <property name="https-routing" value="maybe"/>
)",
                  3, {"'https-routing'", "'maybe'", "boolean"});
}

TEST_CASE("integer property that is not an integer", "[config][checks]") {
    require_error(R"(  <property name="response-timeout-in-seconds" value="soon"/>
)",
                  3, {"'response-timeout-in-seconds'", "'soon'"});
}

TEST_CASE("negative response timeout", "[config][checks]") {
    require_error(R"(  <property name="response-timeout-in-seconds" value="-1"/>
)",
                  3, {"'response-timeout-in-seconds'", "-1", ">= 0"});
}

TEST_CASE("health-check retries out of range", "[config][checks]") {
    require_error(R"(  <property name="number-healthcheck-retries" value="0"/>
)",
                  3, {"'number-healthcheck-retries'", "0", "1..1000"});
    require_error(R"(  <property name="number-healthcheck-retries" value="1001"/>
)",
                  3, {"'number-healthcheck-retries'", "1001", "1..1000"});
}

TEST_CASE("zdu minute of zero seconds", "[config][checks]") {
    require_error(R"(  <property name="zdu-minute-in-seconds" value="0"/>
)",
                  3, {"'zdu-minute-in-seconds'", "0", ">= 1"});
}

TEST_CASE("property set twice", "[config][checks]") {
    require_error(R"(  <property name="https-routing" value="true"/>
  <property name="https-routing" value="false"/>
)",
                  4, {"'https-routing'", "twice", "line 3"});
}

TEST_CASE("every problem is reported, in line order", "[config][checks]") {
    const auto result = load_string(doc(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://h1:8080" weight="-1"/>
    <instance name="i1" listeners="http://h1:0"/>
  </cluster>
  <property name="https-routing" value="maybe"/>
)"),
                                    "checks.xml");
    REQUIRE_FALSE(result.ok());
    std::vector<int> lines;
    for (const auto& d : result.diagnostics) lines.push_back(d.line);
    CHECK(lines == std::vector<int>{4, 5, 5, 7});
}

// ---- versions, canary, sessions (upgrade extensions) ----

namespace {

std::string versioned_cluster(std::string_view cluster_attributes) {
    return R"(  <cluster name="c1" )" + std::string(cluster_attributes) + R"(>
    <instance name="i1" listeners="http://h1:8080" version="1.9"/>
    <instance name="i2" listeners="http://h2:8080" version="1.10"/>
  </cluster>
)";
}

}  // namespace

TEST_CASE("active and canary versions that name existing versions are fine", "[config][checks]") {
    const auto result = load_string(
        doc(versioned_cluster(R"(active-version="1.9" canary-version="1.10" canary-percent="10")")),
        "checks.xml");
    INFO(all_text(result));
    REQUIRE(result.ok());
    const Cluster& c = result.config->clusters[0];
    CHECK(c.active_version == "1.9");
    CHECK(c.canary_version == "1.10");
    CHECK(c.canary_percent == 10);
}

TEST_CASE("active-version no instance runs", "[config][checks]") {
    require_error(versioned_cluster(R"(active-version="2.0")"), 3,
                  {"'c1'", "active-version", "'2.0'", "none of its instances"});
}

TEST_CASE("canary-version no instance runs", "[config][checks]") {
    require_error(versioned_cluster(R"(canary-version="3" canary-percent="5")"), 3,
                  {"canary-version", "'3'", "none of its instances"});
}

TEST_CASE("canary percent out of range", "[config][checks]") {
    require_error(versioned_cluster(R"(canary-version="1.10" canary-percent="101")"), 3,
                  {"canary-percent", "101", "0..100"});
    require_error(versioned_cluster(R"(canary-version="1.10" canary-percent="-1")"), 3,
                  {"canary-percent", "-1", "0..100"});
}

TEST_CASE("canary percent without a canary version", "[config][checks]") {
    require_error(versioned_cluster(R"(canary-percent="10")"), 3,
                  {"canary-percent", "needs a canary-version"});
}

TEST_CASE("canary not higher than the active version", "[config][checks]") {
    require_error(
        versioned_cluster(R"(active-version="1.10" canary-version="1.9" canary-percent="10")"), 3,
        {"canary-version", "'1.9'", "not higher", "'1.10'"});
    // Without a named active version, the highest other version is the one to beat.
    require_error(versioned_cluster(R"(canary-version="1.9" canary-percent="10")"), 3,
                  {"canary-version", "'1.9'", "not higher", "'1.10'"});
}

TEST_CASE("invalid version text", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
    <instance name="i1" listeners="http://h1:8080" version="1.0 beta"/>
  </cluster>
)",
                  4, {"'i1'", "version", "'1.0 beta'", "not a valid version"});
    require_error(R"(  <cluster name="c1" active-version="a/b">
    <instance name="i1" listeners="http://h1:8080" version="a/b"/>
  </cluster>
)",
                  3, {"active-version", "'a/b'", "not a valid version"});
}

TEST_CASE("bad stale-session value", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
)" + std::string(kInstance) +
                      R"(    <web-module context-root="/a" stale-session="ignore"/>
  </cluster>
)",
                  5, {"'/a'", "stale-session", "'ignore'", "redirect, error-url or failover"});
}

TEST_CASE("stale-session error-url without an error-url", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
)" + std::string(kInstance) +
                      R"(    <web-module context-root="/a" stale-session="error-url"/>
  </cluster>
)",
                  5, {"'/a'", "stale-session 'error-url' needs an error-url"});
}

TEST_CASE("web-module session timeout out of range", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
)" + std::string(kInstance) +
                      R"(    <web-module context-root="/a" session-timeout-in-minutes="-5"/>
  </cluster>
)",
                  5, {"'/a'", "session-timeout-in-minutes", "-5"});
}

TEST_CASE("logout pattern that is not a url-pattern", "[config][checks]") {
    require_error(R"(  <cluster name="c1">
)" + std::string(kInstance) +
                      R"(    <web-module context-root="/a" logout-url-pattern="/logout logout.jsp"/>
  </cluster>
)",
                  5, {"'/a'", "logout-url-pattern", "'logout.jsp'"});
}

TEST_CASE("session properties out of range", "[config][checks]") {
    require_error(R"(  <property name="zdu-session-timeout-in-minutes" value="0"/>
)",
                  3, {"zdu-session-timeout-in-minutes", "out of range"});
    require_error(R"(  <property name="session-sweep-interval-in-seconds" value="3601"/>
)",
                  3, {"session-sweep-interval-in-seconds", "1..3600"});
}

TEST_CASE("web-module upgrade attributes are read", "[config][checks]") {
    const auto result = load_string(
        doc(R"(  <cluster name="c1">
)" + std::string(kInstance) +
            R"(    <web-module context-root="/a" error-url="/sorry" logout-url-pattern="/logout *.bye" session-timeout-in-minutes="9" stale-session="failover"/>
  </cluster>
)"),
        "checks.xml");
    REQUIRE(result.ok());
    const WebModule& w = result.config->clusters[0].web_modules[0];
    CHECK(w.logout_url_pattern == "/logout *.bye");
    CHECK(w.session_timeout_minutes == 9);
    CHECK(w.stale_session == WebModule::StaleSession::Failover);
}
