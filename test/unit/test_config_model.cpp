// The small helpers of the config model.
#include <catch2/catch.hpp>

#include "config/diagnostic.hpp"
#include "config/model.hpp"

using namespace zdu::config;

TEST_CASE("policy names", "[config][model]") {
    for (Policy p : {Policy::RoundRobin, Policy::WeightedRoundRobin, Policy::UserDefined}) {
        CHECK(parse_policy(policy_name(p)) == p);
    }
    CHECK(policy_name(Policy::WeightedRoundRobin) == "weighted-round-robin");
    CHECK_FALSE(parse_policy("Round-Robin"));
    CHECK_FALSE(parse_policy(""));
}

TEST_CASE("listener URLs", "[config][model]") {
    CHECK(Listener{Scheme::Http, "h", 80}.url() == "http://h:80");
    CHECK(Listener{Scheme::Https, "10.0.0.1", 443}.url() == "https://10.0.0.1:443");
    CHECK(Listener{Scheme::Ajp, "fe80::1", 8009}.url() == "ajp://[fe80::1]:8009");
    CHECK(scheme_name(Scheme::Ajp) == "ajp");
}

TEST_CASE("find_property", "[config][model]") {
    LoadBalancer lb;
    lb.properties = {{"a", "1", "", 3}, {"b", "2", "", 4}};
    REQUIRE(lb.find_property("b") != nullptr);
    CHECK(lb.find_property("b")->value == "2");
    CHECK(lb.find_property("c") == nullptr);
}

TEST_CASE("diagnostic text", "[config][model]") {
    CHECK(Diagnostic{Diagnostic::Severity::Error, "f.xml", 7, "bad"}.text() == "f.xml:7: bad");
    CHECK(Diagnostic{Diagnostic::Severity::Warning, "f.xml", 7, "odd"}.text() ==
          "f.xml:7: warning: odd");
    CHECK(Diagnostic{Diagnostic::Severity::Error, "f.xml", 0, "gone"}.text() == "f.xml: gone");
    CHECK_FALSE(has_errors({{Diagnostic::Severity::Warning, "f", 1, "w"}}));
    CHECK(has_errors({{Diagnostic::Severity::Warning, "f", 1, "w"},
                      {Diagnostic::Severity::Error, "f", 2, "e"}}));
}
