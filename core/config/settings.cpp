#include "config/settings.hpp"

#include "config/property_table.hpp"

namespace zdu::config {

Settings settings_of(const LoadBalancer& lb) {
    Settings settings;
    for (const auto& property : lb.properties) {
        if (const auto* spec = find_property_spec(property.name)) {
            apply_property(*spec, property.value, settings);
        }
    }
    return settings;
}

bool is_known_property(std::string_view name) {
    return find_property_spec(name) != nullptr;
}

std::vector<std::string_view> unimplemented_properties(const Settings& settings) {
    std::vector<std::string_view> names;
    if (settings.require_monitor_data) names.push_back("require-monitor-data");
    return names;
}

}  // namespace zdu::config
