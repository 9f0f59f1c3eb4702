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

std::vector<std::string_view> unimplemented_properties(const Settings&) {
    // None today: require-monitor-data serves /lbgetmonitordata. Kept so the next property
    // accepted before it is implemented is named at load the same way.
    return {};
}

}  // namespace zdu::config
