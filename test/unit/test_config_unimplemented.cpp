// Properties accepted but not implemented yet are named for a warning at load.
#include <catch2/catch.hpp>

#include "config/settings.hpp"

using namespace zdu::config;

TEST_CASE("require-monitor-data is named until monitoring data is served", "[config][settings]") {
    LoadBalancer lb;
    CHECK(unimplemented_properties(settings_of(lb)).empty());
    lb.properties.push_back({"require-monitor-data", "false", "", 0});
    CHECK(unimplemented_properties(settings_of(lb)).empty());
    lb.properties.back().value = "true";
    auto names = unimplemented_properties(settings_of(lb));
    REQUIRE(names.size() == 1);
    CHECK(names[0] == "require-monitor-data");
    lb.properties.push_back({"rewrite-cookies", "true", "", 0});  // implemented
    CHECK(unimplemented_properties(settings_of(lb)).size() == 1);
}
