// /metrics: Prometheus text format 0.0.4 from StatusData.
#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "manager/status.hpp"
#include "metrics/prometheus.hpp"

using namespace zdu;

namespace {

manager::StatusData two_instances() {
    manager::StatusData data;
    manager::ClusterStatus c;
    c.name = "shop";
    c.has_active_version = true;
    c.active_version = "2";
    c.canary_version = "3";
    c.canary_percent = 10;
    c.stale_sessions = 4;
    manager::InstanceStatus a;
    a.name = "a";
    a.version = "1";
    a.requests = 7;
    a.failovers = 1;
    a.responses_5xx = 2;
    a.answered = 6;
    a.answer_total_us = 1'500'000;
    a.answer_max_us = 900'000;
    a.live_sessions = 3;
    a.end_rate_micro = 1'500'000;
    a.state = lifecycle::Reported::Draining;
    manager::InstanceStatus b;
    b.name = "b\"\\\n";  // every character a label value escapes
    b.version = "2";
    b.requests = 11;
    b.unhealthy_since_ms = 5;
    c.instances = {a, b};
    manager::WebModuleStatus w;
    w.context_root = "/shop";
    w.requests = 18;
    w.failures = 2;
    c.web_modules = {w};
    data.clusters = {c};
    data.config.generation = 3;
    return data;
}

// name{labels} value, as the exposition writes one sample.
std::map<std::string, std::string> samples(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        auto space = line.rfind(' ');
        out[line.substr(0, space)] = line.substr(space + 1);
    }
    return out;
}

}  // namespace

TEST_CASE("label values and help text are escaped", "[metrics][prometheus]") {
    CHECK(metrics::escape_label_value("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
    CHECK(metrics::escape_label_value("plain/é") == "plain/é");
    CHECK(metrics::escape_help("x\\y\nz \"q\"") == "x\\\\y\\nz \"q\"");
    CHECK(metrics::seconds_text(0) == "0.000000");
    CHECK(metrics::seconds_text(1'500'000) == "1.500000");
    CHECK(metrics::seconds_text(7) == "0.000007");
    CHECK(metrics::decimal_text(1500, 1000) == "1.500");
    CHECK(metrics::decimal_text(42, 1000) == "0.042");
}

TEST_CASE("every family has one HELP and one TYPE before its samples", "[metrics][prometheus]") {
    const std::string text = metrics::prometheus_text(two_instances());
    const std::regex help(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$)");
    const std::regex type(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)$)");
    const std::regex sample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? [0-9]+(\.[0-9]+)?$)");
    std::set<std::string> typed;
    std::set<std::string> series;
    std::string current;
    std::string current_type;
    std::istringstream in(text);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        INFO(line);
        if (std::regex_match(line, m, help)) {
            current = m[1];
            CHECK(typed.count(current) == 0);
        } else if (std::regex_match(line, m, type)) {
            REQUIRE(m[1] == current);
            CHECK(typed.insert(current).second);
            current_type = m[2];
            if (current_type == "counter") CHECK_THAT(current, Catch::EndsWith("_total"));
        } else {
            REQUIRE(std::regex_match(line, m, sample));
            CHECK(m[1] == current);
            CHECK(series.insert(line.substr(0, line.rfind(' '))).second);
        }
    }
    CHECK(typed.size() > 20);
    CHECK(text.back() == '\n');
}

TEST_CASE("samples carry cluster, instance and version and the status figures",
          "[metrics][prometheus]") {
    auto s = samples(metrics::prometheus_text(two_instances()));
    CHECK(s[R"(zdu_instance_requests_total{cluster="shop",instance="a",version="1"})"] == "7");
    CHECK(s[R"(zdu_instance_requests_total{cluster="shop",instance="b\"\\\n",version="2"})"] ==
          "11");
    CHECK(s[R"(zdu_instance_failovers_total{cluster="shop",instance="a",version="1"})"] == "1");
    CHECK(s[R"(zdu_instance_answered_total{cluster="shop",instance="a",version="1"})"] == "6");
    CHECK(s[R"(zdu_instance_responses_5xx_total{cluster="shop",instance="a",version="1"})"] == "2");
    CHECK(s[R"(zdu_instance_responses_5xx_total{cluster="shop",instance="b\"\\\n",version="2"})"] ==
          "0");
    CHECK(s[R"(zdu_instance_response_seconds_total{cluster="shop",instance="a",version="1"})"] ==
          "1.500000");
    CHECK(s[R"(zdu_instance_response_max_seconds{cluster="shop",instance="a",version="1"})"] ==
          "0.900000");
    CHECK(s[R"(zdu_instance_healthy{cluster="shop",instance="a",version="1"})"] == "1");
    CHECK(s[R"(zdu_instance_healthy{cluster="shop",instance="b\"\\\n",version="2"})"] == "0");
    CHECK(s[R"(zdu_instance_session_end_rate{cluster="shop",instance="a",version="1"})"] ==
          "1.500000");
    // Draining with 3 sessions at 1.5/s; b is not draining: no sample.
    CHECK(s[R"(zdu_instance_drain_estimate_seconds{cluster="shop",instance="a",version="1"})"] ==
          "2");
    CHECK(
        s.count(
            R"(zdu_instance_drain_estimate_seconds{cluster="shop",instance="b\"\\\n",version="2"})") ==
        0);
    CHECK(s[R"(zdu_instance_state{cluster="shop",instance="a",version="1",state="draining"})"] ==
          "1");
    CHECK(s[R"(zdu_version_requests_total{cluster="shop",version="1"})"] == "7");
    CHECK(s[R"(zdu_version_active{cluster="shop",version="2"})"] == "1");
    CHECK(s[R"(zdu_version_active{cluster="shop",version="1"})"] == "0");
    CHECK(s[R"(zdu_cluster_stale_sessions_total{cluster="shop"})"] == "4");
    CHECK(s[R"(zdu_web_module_requests_total{cluster="shop",context_root="/shop"})"] == "18");
    CHECK(s[R"(zdu_web_module_failures_total{cluster="shop",context_root="/shop"})"] == "2");
    CHECK(s["zdu_config_generation"] == "3");
}

TEST_CASE("an empty config still lists every family, without instance samples",
          "[metrics][prometheus]") {
    const std::string text = metrics::prometheus_text({});
    CHECK_THAT(text, Catch::Contains("# TYPE zdu_instance_requests_total counter\n"
                                     "# HELP zdu_instance_new_sessions_total "));
    CHECK_THAT(text, Catch::Contains("# TYPE zdu_instance_response_max_seconds gauge\n"));
    CHECK(text.find("zdu_instance_requests_total{") == std::string::npos);
    CHECK_THAT(text, Catch::Contains("\nzdu_config_generation 0\n"));
}
