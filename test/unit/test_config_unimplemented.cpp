// Properties accepted but not implemented yet are named for a warning at load.
#include <catch2/catch.hpp>

#include "config/settings.hpp"

using namespace zdu::config;

TEST_CASE("require-monitor-data is implemented, so it is not named", "[config][settings]") {
    LoadBalancer lb;
    CHECK(unimplemented_properties(settings_of(lb)).empty());
    lb.properties.push_back({"require-monitor-data", "true", "", 0});
    CHECK(settings_of(lb).require_monitor_data);
    CHECK(unimplemented_properties(settings_of(lb)).empty());
}
